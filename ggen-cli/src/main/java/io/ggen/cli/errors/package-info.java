/** How every command fails: one line on stderr and an exit code (0 ok, 1 failure, 2 usage error), never a stack trace. */
package io.ggen.cli.errors;
