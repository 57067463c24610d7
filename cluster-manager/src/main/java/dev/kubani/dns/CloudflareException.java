package dev.kubani.dns;

/** Cloudflare answered with its error envelope (or not at all): the first error's code and message. */
public final class CloudflareException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int httpStatus;
    private final int code;

    public CloudflareException(int httpStatus, int code, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    /** True when the token itself was refused (HTTP 401/403, or Cloudflare's authentication codes). */
    public boolean authentication() {
        return httpStatus == 401 || httpStatus == 403 || code == 10000 || code == 9109 || code == 6003 || code == 6111 || code == 9106;
    }
}
