package dev.kubani.services;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/** Short, person-readable descriptions of network failures. */
public final class Errors {
    private Errors() {
    }

    /** The innermost cause that names a network condition, else the innermost cause. */
    public static Throwable root(Throwable e) {
        Throwable root = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof ConnectException || c instanceof SocketTimeoutException || c instanceof UnknownHostException
                    || c instanceof HttpConnectTimeoutException || c instanceof HttpTimeoutException
                    || c instanceof NoRouteToHostException || c instanceof SSLException) {
                break;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return root;
    }

    public static String describe(Throwable e) {
        Throwable r = root(e);
        if (r instanceof ConnectException) {
            return "connection refused";
        }
        if (r instanceof SocketTimeoutException || r instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (r instanceof UnknownHostException) {
            return "unknown host";
        }
        if (r instanceof NoRouteToHostException) {
            return "no route to host";
        }
        return firstLine(r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage());
    }

    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
