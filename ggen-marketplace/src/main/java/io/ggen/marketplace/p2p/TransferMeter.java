package io.ggen.marketplace.p2p;

import java.io.InterruptedIOException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node's archive transfers as a whole: the bytes fetched from and served to peers (archive
 * content, without framing), each direction paced by its own {@link TokenBucket} (the
 * {@code [bandwidth]} limits of the node's configuration).
 */
public final class TransferMeter {
    private final TokenBucket download;
    private final TokenBucket upload;
    private final LongAdder fetched = new LongAdder();
    private final LongAdder served = new LongAdder();

    public TransferMeter(TokenBucket download, TokenBucket upload) {
        this.download = download;
        this.upload = upload;
    }

    /** Total rates in bytes per second; 0 for unlimited. */
    public static TransferMeter ofRates(long downloadBytesPerSecond, long uploadBytesPerSecond) {
        return new TransferMeter(TokenBucket.ofRate(downloadBytesPerSecond, FetchProtocol.CHUNK), TokenBucket.ofRate(uploadBytesPerSecond, FetchProtocol.CHUNK));
    }

    public static TransferMeter unlimited() {
        return ofRates(0, 0);
    }

    /** {@code bytes} of content arrived; returns once the download limit lets the next ones come. */
    void fetched(int bytes) throws InterruptedIOException {
        fetched.add(bytes);
        download.take(bytes);
    }

    /** Waits until {@code bytes} of content may go out under the upload limit, and counts them. */
    void serving(int bytes) throws InterruptedIOException {
        upload.take(bytes);
        served.add(bytes);
    }

    public long fetchedBytes() {
        return fetched.sum();
    }

    public long servedBytes() {
        return served.sum();
    }

    public TokenBucket download() {
        return download;
    }

    public TokenBucket upload() {
        return upload;
    }
}
