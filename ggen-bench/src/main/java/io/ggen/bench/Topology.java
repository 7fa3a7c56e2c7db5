package io.ggen.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Random connected topologies for the whole-system benchmarks: an undirected edge between nodes
 * {@code a < b} is the long {@code a << 32 | b}.
 */
public final class Topology {
    private Topology() {}

    /** A spanning chain in random order, then random extra edges until the mean degree is reached. */
    public static Set<Long> randomConnected(int n, int degree, SplittableRandom random) {
        Set<Long> edges = new HashSet<>();
        int[] order = random.ints(0, n).distinct().limit(n).toArray();
        for (int i = 1; i < n; i++) edges.add(edge(order[i - 1], order[i]));
        long wanted = Math.min((long) n * degree / 2, (long) n * (n - 1) / 2);
        while (edges.size() < wanted) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a != b) edges.add(edge(a, b));
        }
        return edges;
    }

    public static long edge(int a, int b) {
        return ((long) Math.min(a, b) << 32) | Math.max(a, b);
    }

    public static int from(long edge) {
        return (int) (edge >> 32);
    }

    public static int to(long edge) {
        return (int) (edge & 0xffffffffL);
    }

    /** Breadth-first hop counts from {@code start} (-1 for nodes it cannot reach). */
    public static int[] hopsFrom(int start, int n, Set<Long> edges) {
        List<List<Integer>> adj = new ArrayList<>();
        for (int i = 0; i < n; i++) adj.add(new ArrayList<>());
        for (long e : edges) {
            adj.get(from(e)).add(to(e));
            adj.get(to(e)).add(from(e));
        }
        int[] d = new int[n];
        Arrays.fill(d, -1);
        d[start] = 0;
        ArrayDeque<Integer> q = new ArrayDeque<>(List.of(start));
        while (!q.isEmpty()) {
            int x = q.poll();
            for (int y : adj.get(x)) {
                if (d[y] < 0) {
                    d[y] = d[x] + 1;
                    q.add(y);
                }
            }
        }
        return d;
    }
}
