package io.ggen.node.render;

/** How a command's answer is printed: a table for people, JSON or YAML for scripts. */
public enum OutputFormat { table, json, yaml }
