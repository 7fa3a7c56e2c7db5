package io.ggen.bench; final class Placeholder {}
