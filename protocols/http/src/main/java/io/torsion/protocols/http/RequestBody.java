package io.torsion.protocols.http;

/**
 * The body of a request as it arrives, for a handler that streams it (see {@link
 * HttpHandler#streamsBody}): hand it a {@link BodyReceiver} and the pieces follow. It is a {@link
 * io.torsion.PushProducer}, so register it with a consumer that cannot keep up, such as a {@link
 * ResponseBody}, and the server stops reading from the socket while that consumer is full: memory
 * stays flat however large the body.
 *
 * <pre>{@code
 * HttpResponse.streamed(200, "application/octet-stream", response -> {
 *     request.bodyStream().deliverTo(BodyReceiver.into(response));   // echo, at the pace of the reader
 *     response.registerProducer(request.bodyStream());
 * });
 * }</pre>
 *
 * <p>Until a receiver is set, nothing is read. {@link #stopProducing()} discards the rest of the
 * body; the connection then closes after the response, since the rest is never read. Used on the
 * reactor thread.
 */
public interface RequestBody extends BodyStream {}
