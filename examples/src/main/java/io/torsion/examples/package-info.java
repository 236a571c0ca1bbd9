/**
 * Runnable examples. {@link io.torsion.examples.Demo} is the multi-protocol demo packaged as {@code
 * examples/target/torsion-demo.jar}; the other classes are one-file examples of single concepts.
 * Examples may print to standard output; library code never does.
 */
package io.torsion.examples;
