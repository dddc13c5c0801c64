package kr.nuri.server.exec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;
import java.util.function.LongSupplier;
import kr.nuri.config.SiteBackend;

/**
 * The token slurmrestd's auth/jwt takes: minted from slurm.conf's HS256 key (claims {@code sun}, {@code iat},
 * {@code exp}) and renewed when less than a third of its life is left, or read from a file someone else keeps fresh
 * (re-read when it changes).
 */
final class SlurmTokens {
    private static final long LIFE_SECONDS = 1_800;
    private final SiteBackend site;
    private final LongSupplier clockMillis;
    private byte[] key;
    private String token;
    private long expiresAt;
    private long fileModified = -1;

    SlurmTokens(SiteBackend site, LongSupplier clockMillis) {
        this.site = site;
        this.clockMillis = clockMillis;
    }

    /** A token for {@code user} that is good for a while yet. */
    synchronized String token(String user) {
        long now = clockMillis.getAsLong() / 1000;
        if (site.tokenFile() != null) return fromFile(site.tokenFile());
        if (token != null && user.equals(site.user()) && now < expiresAt - LIFE_SECONDS / 3) return token;
        String minted = mint(user, now);
        if (user.equals(site.user())) {
            token = minted;
            expiresAt = now + LIFE_SECONDS;
        }
        return minted;
    }

    private String mint(String user, long now) {
        try {
            if (key == null) key = Files.readAllBytes(site.jwtKey());
            JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("sun", user).issueTime(new Date(now * 1000))
                    .expirationTime(new Date((now + LIFE_SECONDS) * 1000)).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(key.length >= 32 ? key : java.util.Arrays.copyOf(key, 32)));
            return jwt.serialize();
        } catch (IOException e) {
            throw new SlurmException("cannot read the JWT key " + site.jwtKey() + ": " + e.getMessage(), true);
        } catch (JOSEException e) {
            throw new SlurmException("cannot sign a token with " + site.jwtKey() + ": " + e.getMessage(), false);
        }
    }

    private String fromFile(Path file) {
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            if (token == null || modified != fileModified) {
                String text = Files.readString(file).strip();
                token = text.startsWith("SLURM_JWT=") ? text.substring("SLURM_JWT=".length()) : text;
                fileModified = modified;
            }
            return token;
        } catch (IOException e) {
            throw new SlurmException("cannot read the token file " + file + ": " + e.getMessage(), true);
        }
    }
}
