package io.ggen.cli.chaos;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * A process for {@link ClassLoadLogTest}: defines its {@link Template} as a hidden class as many
 * times as its argument says and keeps every one, as a class leak would; then exits.
 */
public final class HiddenClassSpinner {
    /** The class spun. */
    public static final class Template {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        byte[] bytes;
        try (var in = Template.class.getResourceAsStream("HiddenClassSpinner$Template.class")) {
            bytes = in.readAllBytes();
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        List<Class<?>> kept = new ArrayList<>(n);
        for (int i = 0; i < n; i++) kept.add(lookup.defineHiddenClass(bytes, true).lookupClass());
        System.out.println(kept.size());
    }
}
