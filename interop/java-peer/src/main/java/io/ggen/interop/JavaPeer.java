package io.ggen.interop; public final class JavaPeer { public static void main(String[] a) { } }
