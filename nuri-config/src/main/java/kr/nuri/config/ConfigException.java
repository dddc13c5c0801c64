package kr.nuri.config;

/** A configuration file is wrong: names the file, the field (as a path such as sites[2].blocks[0].gpusPerNode) and the value. */
public final class ConfigException extends RuntimeException {
    private final String file;
    private final String field;
    private final String value;

    public ConfigException(String file, String field, Object value, String problem) {
        super(file + ": " + field + (value == null ? "" : " = " + value) + ": " + problem);
        this.file = file;
        this.field = field;
        this.value = value == null ? null : String.valueOf(value);
    }

    public String file() { return file; }
    public String field() { return field; }
    public String value() { return value; }
}
