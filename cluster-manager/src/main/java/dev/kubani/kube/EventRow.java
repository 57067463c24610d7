package dev.kubani.kube;

/**
 * A cluster event: type (Normal/Warning), reason, the object it is about, message and when it
 * last happened (epoch milliseconds).
 */
public record EventRow(String namespace, String name, String type, String reason, String kind, String object,
                       String message, long last, int count) {

    public String key() {
        return namespace + "/" + name;
    }

    public boolean warning() {
        return "Warning".equals(type);
    }
}
