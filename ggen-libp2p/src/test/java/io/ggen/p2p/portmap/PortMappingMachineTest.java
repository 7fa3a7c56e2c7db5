package io.ggen.p2p.portmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.ggen.p2p.portmap.PortMappingMachine.Step;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The port-mapping state machine on a clock the test moves: no I/O, no waiting. */
class PortMappingMachineTest {
    private static final InetAddress EXTERNAL = NatPmpCodec.ipv4(new byte[] {(byte) 192, 0, 1, 1});
    private static final List<MappingMethod> ALL = List.of(MappingMethod.PCP, MappingMethod.NATPMP, MappingMethod.UPNP);
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final AtomicInteger nextRandom = new AtomicInteger(20000);

    private PortMappingMachine machine(List<MappingMethod> methods) {
        return new PortMappingMachine(methods, 4001, Duration.ofHours(1), Duration.ofMinutes(5), 2, nextRandom::getAndIncrement);
    }

    private static PortMapException fail(PortMapException.Kind kind) {
        return new PortMapException(kind, kind.name());
    }

    @Test
    void theCheapMethodsComeFirstAndTheFirstThatMapsWins() {
        PortMappingMachine m = machine(ALL);
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.PCP, 4001, 4001, 3600));
        m.failed(now, fail(PortMapException.Kind.UNAVAILABLE));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.NATPMP, 4001, 4001, 3600));
        m.failed(now, fail(PortMapException.Kind.REFUSED));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 4001, 3600));
        PortMapping p = m.mapped(now, MappingMethod.UPNP, new Granted(EXTERNAL, 4001, 3600));
        assertThat(p.expiresAt()).isEqualTo(now.plusSeconds(3600));
        assertThat(m.mapping()).contains(p);
        assertThat(m.next(now)).isEqualTo(new Step.Sleep(now.plusSeconds(1800)));
    }

    @Test
    void renewsAtHalfTheGrantedLifetimeAndKeepsTheMappingWhenARenewalFails() {
        PortMappingMachine m = machine(ALL);
        m.next(now);
        m.mapped(now, MappingMethod.PCP, new Granted(EXTERNAL, 4001, 120));
        assertThat(m.next(now.plusSeconds(59))).isEqualTo(new Step.Sleep(now.plusSeconds(60)));
        now = now.plusSeconds(60);
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.PCP, 4001, 4001, 3600));
        m.failed(now, fail(PortMapException.Kind.UNAVAILABLE));
        assertThat(m.mapping()).isPresent();
        assertThat(m.next(now)).as("retried at half the time left").isEqualTo(new Step.Sleep(now.plusSeconds(30)));
        now = now.plusSeconds(30);
        m.next(now);
        m.mapped(now, MappingMethod.PCP, new Granted(EXTERNAL, 4001, 120));
        assertThat(m.mapping().orElseThrow().expiresAt()).isEqualTo(now.plusSeconds(120));
    }

    @Test
    void aMappingThatExpiresUnrenewedIsDroppedAndTheSearchStartsOver() {
        PortMappingMachine m = machine(ALL);
        m.next(now);
        m.mapped(now, MappingMethod.NATPMP, new Granted(EXTERNAL, 4001, 20));
        now = now.plusSeconds(10);
        m.next(now);
        m.failed(now, fail(PortMapException.Kind.UNAVAILABLE));
        now = now.plusSeconds(10);
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.PCP, 4001, 4001, 3600));
        assertThat(m.mapping()).isEmpty();
        assertThat(m.lastFailure()).contains("expired");
    }

    @Test
    void aConflictTriesOtherExternalPortsThenTheNextMethod() {
        PortMappingMachine m = machine(List.of(MappingMethod.UPNP, MappingMethod.PCP));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 4001, 3600));
        m.failed(now, fail(PortMapException.Kind.CONFLICT));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 20000, 3600));
        m.failed(now, fail(PortMapException.Kind.CONFLICT));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 20001, 3600));
        m.failed(now, fail(PortMapException.Kind.CONFLICT));
        assertThat(m.next(now)).as("two other ports at most, then the next method").isEqualTo(new Step.Map(MappingMethod.PCP, 4001, 4001, 3600));
    }

    @Test
    void aRouterWithOnlyPermanentLeasesGetsLeaseZeroAndTheMappingIsDeletedOnStop() {
        PortMappingMachine m = machine(List.of(MappingMethod.UPNP));
        m.next(now);
        m.failed(now, fail(PortMapException.Kind.ONLY_PERMANENT_LEASES));
        assertThat(m.next(now)).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 4001, 0));
        PortMapping p = m.mapped(now, MappingMethod.UPNP, new Granted(EXTERNAL, 4001, 0));
        assertThat(p.permanent()).isTrue();
        assertThat(p.expiresAt()).isEqualTo(Instant.MAX);
        assertThat(m.next(now)).as("re-asserted at half the lease we wanted").isEqualTo(new Step.Sleep(now.plusSeconds(1800)));
        assertThat(m.next(now.plusSeconds(1800))).isEqualTo(new Step.Map(MappingMethod.UPNP, 4001, 4001, 0));
        m.stop();
        assertThat(m.next(now)).isEqualTo(new Step.Unmap(p));
        m.unmapped();
        assertThat(m.next(now)).isEqualTo(new Step.Finished());
    }

    @Test
    void stopDeletesWhatIsMappedAndStoppingWithNothingMappedFinishesAtOnce() {
        PortMappingMachine m = machine(ALL);
        m.next(now);
        PortMapping p = m.mapped(now, MappingMethod.PCP, new Granted(EXTERNAL, 31000, 600));
        m.stop();
        assertThat(m.next(now)).isEqualTo(new Step.Unmap(p));
        m.unmapped();
        assertThat(m.next(now)).isEqualTo(new Step.Finished());
        assertThat(m.next(now)).isEqualTo(new Step.Finished());

        PortMappingMachine idle = machine(ALL);
        idle.stop();
        assertThat(idle.next(now)).isEqualTo(new Step.Finished());
    }

    @Test
    void whenEveryMethodFailsItWaitsThenStartsOver() {
        PortMappingMachine m = machine(ALL);
        for (int i = 0; i < 3; i++) {
            m.next(now);
            m.failed(now, fail(PortMapException.Kind.UNAVAILABLE));
        }
        assertThat(m.next(now)).isEqualTo(new Step.Sleep(now.plus(Duration.ofMinutes(5))));
        assertThat(m.next(now.plus(Duration.ofMinutes(5)))).isEqualTo(new Step.Map(MappingMethod.PCP, 4001, 4001, 3600));
    }
}
