package org.xdv.cdcr.node.controlplane.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.persistence.query.javadsl.ReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Replays the authorization logs (spec §7, §10): every node's {@code cdcr-authz-<node>} journal is read through
 * persistence query, and each record's outcome is decided again by the pure {@link Authorization#decide} on exactly
 * the inputs it recorded. A record whose number is not the next one (dropped, reordered) or whose outcome differs
 * is a divergence. Logs are read in persistence-id order.
 */
public final class AuthzReplay {

    static final String PREFIX = "cdcr-authz-";

    /** The first record of a log that does not replay. */
    public record Divergence(String log, long seq, AuthzRecord record, Optional<AuthzOutcome> recomputed,
                             String explanation) {
    }

    /** Logs and records read, records verified (in the tenant's scope), and the first divergence. */
    public record Report(long logs, long recordsRead, long verified, Optional<Divergence> divergence) {
        public boolean ok() {
            return divergence.isEmpty();
        }
    }

    private AuthzReplay() {
    }

    /**
     * Checks one log's records in order; with {@code tenant}, only records of that tenant (as principal or as the
     * owner of the resource) are decided again — numbering is checked on every record.
     */
    public static Report check(String log, List<AuthzRecord> records, Optional<String> tenant) {
        long next = 0;
        long verified = 0;
        for (AuthzRecord r : records) {
            if (r.seq() != next) {
                return new Report(1, records.size(), verified, Optional.of(new Divergence(log, r.seq(), r,
                        Optional.empty(), "expected authorization #" + next + " next but the log holds #" + r.seq()
                        + (r.seq() > next ? " (a record is missing)" : " (records are out of order)"))));
            }
            next++;
            if (tenant.isPresent() && !concerns(r, tenant.get())) {
                continue;
            }
            AuthzOutcome again = Authorization.decide(r.principal(), r.tenantCapabilities(), r.request());
            if (!again.equals(r.outcome())) {
                return new Report(1, records.size(), verified, Optional.of(new Divergence(log, r.seq(), r,
                        Optional.of(again), "recorded " + r.outcome().verdict() + ", decided again "
                        + again.verdict() + (again.reason().isEmpty() ? "" : " (" + again.reason() + ")"))));
            }
            verified++;
        }
        return new Report(1, records.size(), verified, Optional.empty());
    }

    private static boolean concerns(AuthzRecord r, String tenant) {
        return (r.principal() instanceof Principal.Tenant t && t.name().equals(tenant))
                || tenant.equals(r.request().resourceTenant());
    }

    /** Reads and checks every authorization log of {@code readJournalId}; stops at the first divergence. */
    public static CompletionStage<Report> run(ActorSystem<?> system, String readJournalId, Optional<String> tenant) {
        ReadJournal rj = PersistenceQuery.get(system).getReadJournalFor(ReadJournal.class, readJournalId);
        CurrentEventsByPersistenceIdQuery events = (CurrentEventsByPersistenceIdQuery) rj;
        return ((CurrentPersistenceIdsQuery) rj).currentPersistenceIds().filter(id -> id.startsWith(PREFIX))
                .runWith(Sink.seq(), system)
                .thenCompose(ids -> Source.from(new ArrayList<>(new TreeSet<>(ids)))
                        .mapAsync(1, pid -> events.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE)
                                .mapConcat(env -> ((AuthzBatch) env.event()).records())
                                .runWith(Sink.seq(), system)
                                .thenApply(records -> check(pid, records, tenant)))
                        .runWith(Sink.fold(new Report(0, 0, 0, Optional.empty()), (acc, r) -> acc.divergence()
                                .isPresent() ? acc : new Report(acc.logs() + 1, acc.recordsRead() + r.recordsRead(),
                                acc.verified() + r.verified(), r.divergence())), system));
    }
}
