package io.torsion.protocols.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Header fields in arrival order, looked up without regard to case. Small and linear: a request
 * rarely carries more than a few dozen fields, where a scan beats hashing.
 */
public final class HttpHeaders {
  private final List<String> names = new ArrayList<>();
  private final List<String> values = new ArrayList<>();

  /** Creates an empty set of fields. */
  public HttpHeaders() {}

  /** Appends a field. */
  public HttpHeaders add(String name, String value) {
    names.add(Objects.requireNonNull(name, "name"));
    values.add(Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Replaces every field called {@code name} with one. */
  public HttpHeaders set(String name, String value) {
    remove(name);
    return add(name, value);
  }

  /** Removes every field called {@code name}. */
  public HttpHeaders remove(String name) {
    for (int i = names.size() - 1; i >= 0; i--) {
      if (names.get(i).equalsIgnoreCase(name)) {
        names.remove(i);
        values.remove(i);
      }
    }
    return this;
  }

  /** Returns the first value of {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        return values.get(i);
      }
    }
    return null;
  }

  /** Returns every value of {@code name}, in order. */
  public List<String> getAll(String name) {
    List<String> found = new ArrayList<>(1);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name)) {
        found.add(values.get(i));
      }
    }
    return found;
  }

  /** Returns true if a field called {@code name} is present. */
  public boolean contains(String name) {
    return get(name) != null;
  }

  /**
   * Returns true if {@code name}'s comma-separated values include {@code token}, ignoring case
   * (e.g. {@code Connection: keep-alive, Upgrade}).
   */
  public boolean containsToken(String name, String token) {
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(name) && hasToken(values.get(i), token)) {
        return true;
      }
    }
    return false;
  }

  /** Scans a comma-separated list without splitting it: this runs on every request. */
  private static boolean hasToken(String list, String token) {
    int length = list.length();
    int from = 0;
    while (from <= length) {
      int comma = list.indexOf(',', from);
      int to = comma < 0 ? length : comma;
      int a = from;
      int b = to;
      while (a < b && (list.charAt(a) == ' ' || list.charAt(a) == '\t')) {
        a++;
      }
      while (b > a && (list.charAt(b - 1) == ' ' || list.charAt(b - 1) == '\t')) {
        b--;
      }
      if (b - a == token.length() && list.regionMatches(true, a, token, 0, token.length())) {
        return true;
      }
      if (comma < 0) {
        return false;
      }
      from = comma + 1;
    }
    return false;
  }

  /** Returns the number of fields. */
  public int size() {
    return names.size();
  }

  /** Returns the field names, in order, as received. */
  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  /** Returns the name of field {@code index}, as received. */
  public String name(int index) {
    return names.get(index);
  }

  /** Returns the value of field {@code index}. */
  public String value(int index) {
    return values.get(index);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("HttpHeaders[");
    for (int i = 0; i < names.size(); i++) {
      out.append(i == 0 ? "" : ", ").append(names.get(i).toLowerCase(Locale.ROOT)).append(": ").append(values.get(i));
    }
    return out.append(']').toString();
  }
}
