package org.xdv.cdcr.node.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xdv.cdcr.node.proto.CreateTenantRequest;
import org.xdv.cdcr.node.proto.CreateTenantResponse;
import org.xdv.cdcr.node.proto.ListTenantsRequest;
import org.xdv.cdcr.node.proto.ListTenantsResponse;
import org.xdv.cdcr.node.proto.SetCapabilitiesRequest;
import org.xdv.cdcr.node.proto.SetQuotaRequest;
import org.xdv.cdcr.node.proto.Tenant;
import org.xdv.cdcr.node.proto.TenantRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdcr tenants}: tenant administration (operator credential). */
@Command(name = "tenants", mixinStandardHelpOptions = true,
        description = "Tenants: create (issues the tenant's token), ls, describe, quota, capabilities, token.",
        subcommands = {TenantsCommand.Create.class, TenantsCommand.Ls.class, TenantsCommand.Describe.class,
                TenantsCommand.SetQuota.class, TenantsCommand.SetCapabilities.class, TenantsCommand.Token.class})
public final class TenantsCommand {

    /** Quota flags shared by create and quota. */
    static final class QuotaOptions {
        @Option(names = "--containers", paramLabel = "N", description = "Live containers at once.")
        Integer containers;
        @Option(names = "--qubits", paramLabel = "N", description = "Logical qubits held at once.")
        Integer qubits;
        @Option(names = "--phi-slots", paramLabel = "N", description = "Φ slots held at once.")
        Long phiSlots;
        @Option(names = "--k-slots", paramLabel = "N", description = "K slots held at once.")
        Integer kSlots;
        @Option(names = "--vhm-memory-pages", paramLabel = "N",
                description = "VHM contract: most linear memory (64 KiB pages) of one container, 1-1024.")
        Integer vhmMemoryPages;
        @Option(names = "--vhm-fuel", paramLabel = "N", description = "VHM contract: most fuel of one container.")
        Long vhmFuel;

        boolean any() {
            return containers != null || qubits != null || phiSlots != null || kSlots != null
                    || vhmMemoryPages != null || vhmFuel != null;
        }

        SetQuotaRequest request(String name) throws ClientSession.Failure {
            SetQuotaRequest.Builder b = SetQuotaRequest.newBuilder().setName(name);
            if (containers != null) {
                b.setContainers(nonNegative("--containers", containers));
            }
            if (qubits != null) {
                b.setQubits(nonNegative("--qubits", qubits));
            }
            if (phiSlots != null) {
                b.setPhiSlots(nonNegative("--phi-slots", phiSlots));
            }
            if (kSlots != null) {
                b.setKSlots(nonNegative("--k-slots", kSlots));
            }
            if (vhmMemoryPages != null) {
                b.setVhmMemoryPages(vhmMemoryPages); // the orchestrator refuses values out of range, naming them
            }
            if (vhmFuel != null) {
                b.setVhmFuel(vhmFuel);
            }
            return b.build();
        }

        private static int nonNegative(String flag, int v) throws ClientSession.Failure {
            return (int) nonNegative(flag, (long) v);
        }

        private static long nonNegative(String flag, long v) throws ClientSession.Failure {
            if (v < 0) {
                throw new ClientSession.Failure(ClientSession.USAGE, flag + " must be >= 0, was " + v);
            }
            return v;
        }
    }

    /** Prints a tenant with its new token; {@code --save} stores endpoint and token in the client config. */
    static int issued(ClientCommand cmd, ClientSession s, CreateTenantResponse r, boolean save,
                      OutputOptions.Format format) throws ClientSession.Failure {
        if (save) {
            try {
                ClientConfig.write(ClientConfig.file(cmd.client.clientConfig), s.endpoint, r.getToken());
            } catch (IOException e) {
                throw new ClientSession.Failure(ClientSession.USAGE, "cannot write the client config: " + e);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tenant", Render.tenant(r.getTenant()));
        m.put("token", r.getToken());
        Render.print(cmd.out(), format, m, () -> Render.tenants(List.of(r.getTenant()))
                + "\ntoken: " + r.getToken() + "\n(shown once: the node keeps only its SHA-256"
                + (save ? "; saved to " + ClientConfig.file(cmd.client.clientConfig) : "") + ")\n");
        return 0;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a tenant and prints its bearer token (once).")
    public static final class Create extends ClientCommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "a-z, 0-9, '-', starting with a letter.")
        String name;

        @Option(names = "--capabilities", split = ",", paramLabel = "CAP",
                description = "Capability namespace (default: every capability: ${DEFAULT-VALUE}).",
                defaultValue = "k.exec,log.write,phi.envelope,phi.sample,q.alloc,q.measure,q.run")
        List<String> capabilities;

        @Option(names = "--share-phi-with", split = ",", paramLabel = "TENANT",
                description = "Tenants this one signs a Φ sharing contract with.")
        List<String> sharePhiWith;

        @Mixin
        QuotaOptions quota;

        @Option(names = "--save", description = "Store the endpoint and the new token in the client config file.")
        boolean save;

        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            SetQuotaRequest quotaChange = quota.any() ? quota.request(name) : null;
            CreateTenantRequest.Builder b = CreateTenantRequest.newBuilder().setName(name)
                    .addAllCapabilities(capabilities);
            if (sharePhiWith != null) {
                b.addAllSharesPhiWith(sharePhiWith);
            }
            CreateTenantResponse r = s.call(s.tenants.createTenant(), b.build());
            if (quotaChange != null) {
                Tenant t = s.call(s.tenants.setQuota(), quotaChange);
                r = r.toBuilder().setTenant(t).build();
            }
            return issued(this, s, r, save, output.format);
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists tenants with quota and usage.")
    public static final class Ls extends ClientCommand {
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            ListTenantsResponse r = s.call(s.tenants.listTenants(), ListTenantsRequest.getDefaultInstance());
            List<Object> all = new ArrayList<>();
            r.getTenantsList().forEach(t -> all.add(Render.tenant(t)));
            Render.print(out(), output.format, all, () -> Render.tenants(r.getTenantsList()));
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Shows one tenant.")
    public static final class Describe extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            Tenant t = s.call(s.tenants.describeTenant(), TenantRef.newBuilder().setName(name).build());
            Render.print(out(), output.format, Render.tenant(t), () -> Render.tenants(List.of(t)));
            return 0;
        }
    }

    @Command(name = "quota", mixinStandardHelpOptions = true,
            description = "Changes the given limits of a tenant's quota (the others stay).")
    public static final class SetQuota extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Mixin
        QuotaOptions quota;
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            if (!quota.any()) {
                throw new ClientSession.Failure(ClientSession.USAGE,
                        "give at least one of --containers, --qubits, --phi-slots, --k-slots");
            }
            Tenant t = s.call(s.tenants.setQuota(), quota.request(name));
            Render.print(out(), output.format, Render.tenant(t), () -> Render.tenants(List.of(t)));
            return 0;
        }
    }

    @Command(name = "capabilities", mixinStandardHelpOptions = true,
            description = "Replaces a tenant's capability namespace.")
    public static final class SetCapabilities extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", paramLabel = "CAP", description = "Capabilities (known: k.exec, log.write, "
                + "phi.envelope, phi.sample, q.alloc, q.measure, q.run).")
        List<String> capabilities;
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            Tenant t = s.call(s.tenants.setCapabilities(), SetCapabilitiesRequest.newBuilder().setName(name)
                    .addAllCapabilities(capabilities).build());
            Render.print(out(), output.format, Render.tenant(t), () -> Render.tenants(List.of(t)));
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true,
            description = "Issues a new token for a tenant; its previous token stops working.")
    public static final class Token extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--save", description = "Store the endpoint and the new token in the client config file.")
        boolean save;
        @Mixin
        OutputOptions output;

        @Override
        int run(ClientSession s) throws ClientSession.Failure {
            CreateTenantResponse r = s.call(s.tenants.issueToken(), TenantRef.newBuilder().setName(name).build());
            return issued(this, s, r, save, output.format);
        }
    }
}
