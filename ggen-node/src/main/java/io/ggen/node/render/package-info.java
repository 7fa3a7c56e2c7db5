/** Text the node and the command line print: output formats, JSON/YAML printing, the status view. */
package io.ggen.node.render;
