package io.torsion.testing.kit;

import io.torsion.ProcessEnded;
import io.torsion.ProcessProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A process protocol that records output, events and the threads they ran on, for kit tests. */
public class ProcessRecorder extends ProcessProtocol {
  /** Everything written to standard output. */
  public final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** Everything written to standard error. */
  public final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** The events in order: made, out-eof, err-eof, exited, ended. */
  public final List<String> events = new CopyOnWriteArrayList<>();

  /** The threads every callback ran on. */
  public final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** Completes with the reason given to {@link #processEnded}. */
  public final CompletableFuture<ProcessEnded> ended = new CompletableFuture<>();

  /** Creates a recorder. */
  public ProcessRecorder() {}

  private void record(String event) {
    threads.add(Thread.currentThread());
    events.add(event);
  }

  @Override
  public void connectionMade() {
    record("made");
  }

  @Override
  public void outReceived(ByteBuffer data) {
    threads.add(Thread.currentThread());
    synchronized (out) {
      out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
  }

  @Override
  public void errReceived(ByteBuffer data) {
    threads.add(Thread.currentThread());
    synchronized (err) {
      err.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
    }
  }

  @Override
  public void outConnectionLost() {
    record("out-eof");
  }

  @Override
  public void errConnectionLost() {
    record("err-eof");
  }

  @Override
  public void processExited(ProcessEnded reason) {
    record("exited");
  }

  @Override
  public void processEnded(ProcessEnded reason) {
    record("ended");
    ended.complete(reason);
  }
}
