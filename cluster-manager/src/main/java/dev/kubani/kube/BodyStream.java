package dev.kubani.kube;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A response body as an InputStream, fed by the fabric8 HTTP client's byte consumer
 * ({@code HttpClient.consumeBytes}) and copied out in bulk. fabric8's own stream adapter copies
 * one byte at a time, which cost about 0.8 s of CPU for a 100 MB pod list. At most {@link #HIGH}
 * bytes wait here: beyond that no more is asked of the client until the reader catches up.
 * A read returns what has arrived (at least one byte), so watch events are not held back.
 */
final class BodyStream extends InputStream implements AsyncBody.Consumer<List<ByteBuffer>> {
    static final long HIGH = 8L << 20;

    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private long queued;
    private AsyncBody body;
    private boolean paused;
    private boolean done;
    private boolean closed;
    private Throwable failed;

    /** Called by the HTTP client with the next buffers; asks for more unless enough are waiting. */
    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody b) {
        boolean more;
        synchronized (this) {
            body = b;
            if (closed) {
                return;
            }
            for (ByteBuffer x : buffers) {
                if (x.hasRemaining()) {
                    queue.add(x);
                    queued += x.remaining();
                }
            }
            more = queued < HIGH;
            paused = !more;
            notifyAll();
        }
        if (more) {
            b.consume();
        }
    }

    /** Starts the flow once the response headers are in; the end (or failure) of the body is noted when it comes. */
    void start(AsyncBody b) {
        synchronized (this) {
            body = b;
        }
        b.done().whenComplete((v, e) -> {
            synchronized (this) {
                done = true;
                failed = e;
                notifyAll();
            }
        });
        b.consume();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        AsyncBody resume = null;
        int n = 0;
        synchronized (this) {
            if (closed) {
                throw new IOException("stream closed");
            }
            while (queue.isEmpty() && !done) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the response");
                }
            }
            if (queue.isEmpty()) {
                if (failed != null) {
                    throw failed instanceof IOException io ? io : new IOException(failed.getMessage(), failed);
                }
                return -1;
            }
            while (n < len && !queue.isEmpty()) {
                ByteBuffer head = queue.peek();
                int k = Math.min(len - n, head.remaining());
                head.get(dst, off + n, k);
                n += k;
                if (!head.hasRemaining()) {
                    queue.poll();
                }
            }
            queued -= n;
            if (paused && queued < HIGH / 2) {
                paused = false;
                resume = body;
            }
        }
        if (resume != null) {
            resume.consume();
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, queued);
    }

    /** Stops the transfer if it has not ended; what is left unread is dropped. */
    @Override
    public void close() {
        AsyncBody b;
        boolean cancel;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            cancel = !done;
            b = body;
            queue.clear();
            queued = 0;
            notifyAll();
        }
        if (cancel && b != null) {
            b.cancel();
        }
    }
}
