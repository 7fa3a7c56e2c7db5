/**
 * The host's event bus ({@link io.ggen.p2p.core.event.EventBus}) and its events
 * ({@link io.ggen.p2p.core.event.Event}, a sealed interface of records), as go-libp2p's
 * {@code core/event}: connection opened and closed, peer identified, a peer's protocols changed,
 * our own addresses and protocols changed, reachability. Bounded per subscriber, ordered per
 * subscriber, delivered on the bus's virtual threads; a full queue drops (and counts) events for
 * that subscriber only.
 */
package io.ggen.p2p.core.event;
