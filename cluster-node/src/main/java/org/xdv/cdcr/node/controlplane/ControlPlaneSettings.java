package org.xdv.cdcr.node.controlplane;

import java.time.Duration;

import com.typesafe.config.Config;
import org.xdv.cdcr.runtime.core.Quota;

/** The control plane's settings ({@code cdcr.grpc}, {@code cdcr.control-plane}; see reference.conf). */
public record ControlPlaneSettings(String host, int port, String operatorToken, long maxRequestBytes,
                                   Quota defaultQuota, Duration askTimeout, Duration viewRefresh,
                                   Duration viewMinRefresh, int maxList, int maxBatch,
                                   int maxSubmissionsInFlight, int maxSubmissionsQueued) {

    public static ControlPlaneSettings from(Config c) {
        Config cp = c.getConfig("cdcr.control-plane");
        Config q = cp.getConfig("default-quota");
        String host = c.getString("cdcr.grpc.interface");
        if (host.equals("0.0.0.0") || host.equals("::") || host.isBlank()) {
            throw new IllegalArgumentException("cdcr.grpc.interface must name one address, not '" + host
                    + "': the control plane never listens on every interface");
        }
        int port = c.getInt("cdcr.grpc.port");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("cdcr.grpc.port must be in 0..65535, was " + port);
        }
        int maxBatch = cp.getInt("max-batch");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("cdcr.control-plane.max-batch must be at least 1, was " + maxBatch);
        }
        return new ControlPlaneSettings(host, port, cp.getString("operator-token"),
                cp.getBytes("max-request-bytes"),
                new Quota(q.getInt("containers"), q.getInt("qubits"), q.getLong("phi-slots"), q.getInt("k-slots")),
                cp.getDuration("ask-timeout"), cp.getDuration("view-refresh"), cp.getDuration("view-min-refresh"),
                cp.getInt("max-list"), maxBatch, cp.getInt("max-submissions-in-flight"),
                cp.getInt("max-submissions-queued"));
    }
}
