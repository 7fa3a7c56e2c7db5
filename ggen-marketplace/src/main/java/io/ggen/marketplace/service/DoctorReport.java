package io.ggen.marketplace.service;

import java.util.List;

/** The outcome of checking (and with fix, repairing) the store and catalog: problems need the user; notes are informational. */
public record DoctorReport(boolean ok, int objects, long releases, List<String> problems, List<String> notes) {
    public DoctorReport {
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }
}
