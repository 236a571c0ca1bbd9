package io.torsion.endpoints;

/** An endpoint string that cannot be understood; the message names the string and its bad part. */
public final class EndpointSyntaxError extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Creates the error for {@code description}, saying what is wrong with it. */
  public EndpointSyntaxError(String description, String problem) {
    super("bad endpoint '" + description + "': " + problem);
  }
}
