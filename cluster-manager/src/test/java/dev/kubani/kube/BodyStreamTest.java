package dev.kubani.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.http.AsyncBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The response body stream fed by the HTTP client's byte consumer: order, flow control, end, failure, close. */
class BodyStreamTest {
    /** The client's side: counts the buffers asked for; ends or fails on request. */
    static final class FakeBody implements AsyncBody {
        final AtomicInteger asked = new AtomicInteger();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile boolean cancelled;

        @Override
        public void consume() {
            asked.incrementAndGet();
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Test
    @DisplayName("bytes come out in order across buffers and reads of any size; the end of the body is -1")
    void orderAndEnd() throws Exception {
        FakeBody body = new FakeBody();
        BodyStream s = new BodyStream();
        s.start(body);
        byte[] all = new byte[300_000];
        new Random(3).nextBytes(all);
        Thread feeder = new Thread(() -> {
            int off = 0;
            Random r = new Random(4);
            while (off < all.length) {
                int a = Math.min(all.length - off, 1 + r.nextInt(9000));
                int b = Math.min(all.length - off - a, r.nextInt(5000));
                s.consume(List.of(ByteBuffer.wrap(all, off, a), ByteBuffer.wrap(all, off + a, b)), body);
                off += a + b;
            }
            body.done.complete(null);
        });
        feeder.start();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        int n;
        while ((n = s.read(buf, 0, 1 + (got.size() % buf.length))) >= 0) {
            got.write(buf, 0, n);
        }
        feeder.join();
        assertThat(got.toByteArray()).isEqualTo(all);
        assertThat(s.read()).isEqualTo(-1);
    }

    @Test
    @DisplayName("no more is asked of the client while HIGH bytes wait; reading half of them asks again")
    void flowControl() throws Exception {
        FakeBody body = new FakeBody();
        BodyStream s = new BodyStream();
        s.start(body);
        assertThat(body.asked.get()).isEqualTo(1);
        int chunk = 1 << 20;
        int chunks = (int) (BodyStream.HIGH / chunk);
        for (int i = 0; i < chunks; i++) {
            s.consume(List.of(ByteBuffer.allocate(chunk)), body);
        }
        assertThat(body.asked.get()).as("asked again for all but the buffer that reached HIGH").isEqualTo(chunks);
        byte[] buf = new byte[chunk];
        int read = 0;
        while (read <= BodyStream.HIGH / 2) {
            read += s.read(buf, 0, buf.length);
        }
        assertThat(body.asked.get()).isEqualTo(chunks + 1);
    }

    @Test
    @DisplayName("a failed transfer is an IOException once the bytes that did arrive are read")
    void failure() throws Exception {
        FakeBody body = new FakeBody();
        BodyStream s = new BodyStream();
        s.start(body);
        s.consume(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3})), body);
        body.done.completeExceptionally(new IOException("connection reset"));
        byte[] buf = new byte[10];
        assertThat(s.read(buf, 0, 10)).isEqualTo(3);
        assertThatThrownBy(() -> s.read(buf, 0, 10)).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    @DisplayName("closing before the end cancels the transfer; reading a closed stream is an error")
    void close() {
        FakeBody body = new FakeBody();
        BodyStream s = new BodyStream();
        s.start(body);
        s.consume(List.of(ByteBuffer.wrap(new byte[] {1})), body);
        s.close();
        assertThat(body.cancelled).isTrue();
        assertThatThrownBy(() -> s.read(new byte[1], 0, 1)).isInstanceOf(IOException.class);
    }
}
