/** Errors of the node whose messages speak to the user; a leaf package that everything in the node may use. */
package io.ggen.node.error;
