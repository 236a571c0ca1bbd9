package io.torsion.endpoints;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an endpoint string after its prefix, in Twisted's syntax: fields separated by {@code
 * :}, each either positional or {@code key=value}, a backslash making the next character literal
 * ({@code unix:C\:\\app.sock}). Parsers take what they know and call {@link #done()}, which refuses
 * whatever is left, by name.
 */
public final class EndpointArguments {
  private final String description;
  private final String prefix;
  private final List<String> positional;
  private final Map<String, String> keywords;
  private final Set<String> used = new LinkedHashSet<>();
  private int positionalUsed;

  private EndpointArguments(
      String description, String prefix, List<String> positional, Map<String, String> keywords) {
    this.description = description;
    this.prefix = prefix;
    this.positional = positional;
    this.keywords = keywords;
  }

  /** Splits {@code description} into its prefix and arguments. */
  static EndpointArguments parse(String description) {
    List<String> fields = new ArrayList<>();
    List<Integer> equalsAt = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int equals = -1;
    for (int i = 0; i < description.length(); i++) {
      char c = description.charAt(i);
      if (c == '\\') {
        if (i + 1 == description.length()) {
          throw new EndpointSyntaxError(description, "it ends with a lone backslash");
        }
        field.append(description.charAt(++i));
      } else if (c == ':') {
        fields.add(field.toString());
        equalsAt.add(equals);
        field.setLength(0);
        equals = -1;
      } else {
        if (c == '=' && equals < 0) {
          equals = field.length();
        }
        field.append(c);
      }
    }
    fields.add(field.toString());
    equalsAt.add(equals);
    String prefix = fields.get(0);
    if (equalsAt.get(0) >= 0 || prefix.isEmpty()) {
      throw new EndpointSyntaxError(
          description, "it must start with a type, such as tcp: or unix:");
    }
    List<String> positional = new ArrayList<>();
    Map<String, String> keywords = new LinkedHashMap<>();
    for (int i = 1; i < fields.size(); i++) {
      String text = fields.get(i);
      int at = equalsAt.get(i);
      if (at < 0) {
        if (!keywords.isEmpty()) {
          throw new EndpointSyntaxError(
              description, "the positional argument '" + text + "' comes after key=value ones");
        }
        positional.add(text);
      } else {
        String key = text.substring(0, at);
        if (key.isEmpty()) {
          throw new EndpointSyntaxError(description, "'" + text + "' has no name before '='");
        }
        if (keywords.put(key, text.substring(at + 1)) != null) {
          throw new EndpointSyntaxError(description, "'" + key + "' is given twice");
        }
      }
    }
    return new EndpointArguments(
        description, prefix.toLowerCase(java.util.Locale.ROOT), positional, keywords);
  }

  /** Returns the whole string, for messages. */
  public String description() {
    return description;
  }

  /** Returns the type before the first {@code :}, in lower case. */
  public String prefix() {
    return prefix;
  }

  /**
   * Returns the next positional argument, or else the keyword {@code name}, or null if neither is
   * there: {@code tcp:8080} and {@code tcp:port=8080} mean the same.
   */
  public String take(String name) {
    if (positionalUsed < positional.size()) {
      if (keywords.containsKey(name)) {
        throw error("'" + name + "' is given both by position and as " + name + "=");
      }
      used.add(name);
      return positional.get(positionalUsed++);
    }
    return keyword(name);
  }

  /** Returns the keyword {@code name}, or null. */
  public String keyword(String name) {
    used.add(name);
    return keywords.get(name);
  }

  /** Returns {@link #take(String)} for a required argument. */
  public String require(String name) {
    String value = take(name);
    if (value == null || value.isEmpty()) {
      throw error("it needs " + name);
    }
    return value;
  }

  /** Returns the keyword {@code name} as a whole number from {@code least} to {@code most}. */
  public Integer number(String value, String name, long least, long most) {
    if (value == null) {
      return null;
    }
    try {
      long number = Long.parseLong(value);
      if (number < least || number > most) {
        throw error(name + " " + value + " is outside " + least + ".." + most);
      }
      return (int) number;
    } catch (NumberFormatException e) {
      throw error(name + " '" + value + "' is not a number");
    }
  }

  /** Refuses positional arguments or keywords that no parser took. */
  public void done() {
    if (positionalUsed < positional.size()) {
      throw error("it has an argument too many: '" + positional.get(positionalUsed) + "'");
    }
    for (String key : keywords.keySet()) {
      if (!used.contains(key)) {
        throw error("'" + key + "' is not an argument of " + prefix + ":");
      }
    }
  }

  /** Returns an error naming this string and {@code problem}. */
  public EndpointSyntaxError error(String problem) {
    return new EndpointSyntaxError(description, problem);
  }

  /** Returns the keywords given, in order. */
  public Map<String, String> keywords() {
    return Collections.unmodifiableMap(keywords);
  }
}
