package org.xdv.cdcr.node.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/** Where the control plane is and who is calling: shared by every client command. */
public final class ClientOptions {

    @Option(names = "--endpoint", paramLabel = "HOST:PORT",
            description = "Control-plane endpoint (else CDCR_ENDPOINT, the client config file, 127.0.0.1:8470).")
    String endpoint;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token (else CDCR_TOKEN, then the client config file).")
    String token;

    @Option(names = "--client-config", paramLabel = "FILE",
            description = "Client config file (else CDCR_CLIENT_CONFIG, then ~/.cdcr/config).")
    Path clientConfig;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Seconds to wait for an answer (default ${DEFAULT-VALUE}); not for watching.")
    int timeoutSeconds;
}
