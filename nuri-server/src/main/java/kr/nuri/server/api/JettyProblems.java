package kr.nuri.server.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests Jetty refuses before they reach a route (an ambiguous or malformed URI, a bad header) still get
 * problem+json rather than an HTML page, so clients parse one error format.
 */
final class JettyProblems extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 400;
        Object message = request.getAttribute(ERROR_MESSAGE);
        String detail = message == null ? "the request was refused before routing" : message.toString();
        String body = "{\"type\":\"https://nuri.kr/problems/bad-request\",\"title\":\"bad-request\",\"status\":" + status
                + ",\"detail\":\"" + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\",\"field\":\"path\",\"value\":null}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
