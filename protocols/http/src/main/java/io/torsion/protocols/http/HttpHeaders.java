package io.torsion.protocols.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Header fields in arrival order, looked up without regard to case. Small and linear: a request
 * rarely carries more than a few dozen fields, where a scan beats hashing.
 */
public final class HttpHeaders {
  private static final String[] NONE = {};
  private String[] fields =
      NONE; // name, value, name, value...; most trailers and many responses have none
  private int size;

  /** Creates an empty set of fields. */
  public HttpHeaders() {}

  /** Appends a field. */
  public HttpHeaders add(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (2 * size == fields.length) {
      fields = Arrays.copyOf(fields, Math.max(4, fields.length * 2)); // most have a few
    }
    fields[2 * size] = name;
    fields[2 * size + 1] = value;
    size++;
    return this;
  }

  /** Replaces every field called {@code name} with one. */
  public HttpHeaders set(String name, String value) {
    remove(name);
    return add(name, value);
  }

  /** Removes every field called {@code name}. */
  public HttpHeaders remove(String name) {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (!fields[2 * i].equalsIgnoreCase(name)) {
        fields[2 * kept] = fields[2 * i];
        fields[2 * kept + 1] = fields[2 * i + 1];
        kept++;
      }
    }
    Arrays.fill(fields, 2 * kept, 2 * size, null);
    size = kept;
    return this;
  }

  /** Returns the first value of {@code name}, or null. */
  public String get(String name) {
    for (int i = 0; i < size; i++) {
      if (fields[2 * i].equalsIgnoreCase(name)) {
        return fields[2 * i + 1];
      }
    }
    return null;
  }

  /** Returns every value of {@code name}, in order. */
  public List<String> getAll(String name) {
    List<String> found = new ArrayList<>(1);
    for (int i = 0; i < size; i++) {
      if (fields[2 * i].equalsIgnoreCase(name)) {
        found.add(fields[2 * i + 1]);
      }
    }
    return found;
  }

  /** Returns how many fields are called {@code name}. */
  public int count(String name) {
    int count = 0;
    for (int i = 0; i < size; i++) {
      if (fields[2 * i].equalsIgnoreCase(name)) {
        count++;
      }
    }
    return count;
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
    for (int i = 0; i < size; i++) {
      if (fields[2 * i].equalsIgnoreCase(name) && hasToken(fields[2 * i + 1], token)) {
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
    return size;
  }

  /** Returns the field names, in order, as received. */
  public List<String> names() {
    List<String> names = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      names.add(fields[2 * i]);
    }
    return Collections.unmodifiableList(names);
  }

  /** Returns the name of field {@code index}, as received. */
  public String name(int index) {
    Objects.checkIndex(index, size);
    return fields[2 * index];
  }

  /** Returns the value of field {@code index}. */
  public String value(int index) {
    Objects.checkIndex(index, size);
    return fields[2 * index + 1];
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("HttpHeaders[");
    for (int i = 0; i < size; i++) {
      out.append(i == 0 ? "" : ", ")
          .append(fields[2 * i].toLowerCase(Locale.ROOT))
          .append(": ")
          .append(fields[2 * i + 1]);
    }
    return out.append(']').toString();
  }
}
