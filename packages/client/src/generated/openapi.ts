/**
 * The gateway's API as types, generated from its OpenAPI document by openapi-typescript in `pnpm build`.
 * Do not edit: change the routes' declarations and generate again.
 */

export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The gateway's signing keys (RFC 7517), current and previous */
        get: operations["jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/adapters/v1/leases/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Takes or renews the lease that lets one instance of an adapter run: held until it lapses unrenewed, then the next instance to ask takes it */
        post: operations["adapterLease"];
        /** Gives an adapter instance's lease up as it stops, so a standby takes over at its next ask */
        delete: operations["releaseAdapterLease"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/adapters/v1/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each adapter's health: healthy, failing, stale, stopped or starting, with why (the city admin: all; a provider: its own) */
        get: operations["adapterStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/adapters/v1/status/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** An adapter's report of its own health, kept where every gateway answers the status API */
        put: operations["reportAdapterStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/adapters/v1/terms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The terms the caller's adapter publishes under, asked before every batch: k, whether records may go out, the ε budget; or why nothing may be published */
        get: operations["adapterTerms"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/checkpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign a checkpoint of the log as it is now, if it extends the last one signed */
        post: operations["createCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/checkpoints/{treeSize}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed checkpoint at a tree size */
        get: operations["getCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/checkpoints/{treeSize}/cosignatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A witness's cosignature of a checkpoint it checked (its organisation) */
        post: operations["cosignCheckpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/checkpoints/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest signed checkpoint */
        get: operations["latestCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The proof that the tree of one size extends the tree of a smaller one (RFC 9162 consistency proof) */
        get: operations["auditConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Audit entries, oldest first: auditors see all, others the entries their organisation is party to */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/entries/{seq}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One audit entry */
        get: operations["getAuditEntry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/entries/{seq}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The proof that an entry is in the tree of a size (RFC 9162 inclusion proof) */
        get: operations["auditInclusionProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The entries this client may see, as JSON lines or CSV; with treeSize exactly the first N */
        get: operations["exportAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify every stored entry, subtree, checkpoint and cosignature, naming the first that fails */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/v1/witnesses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The witnesses registered, with their verifier keys */
        get: operations["listWitnesses"];
        put?: never;
        /** Register an organisation's witness key (the city admin) */
        post: operations["registerWitness"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/v1/access-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An access token for the resource proxy: issued only while the consent and its MoU allow a release of the item
         * @description Needs an identity token from POST /auth/v1/token; the access token it gives is what the data API (/ngsi-ld/v1/…) takes.
         */
        post: operations["issueAccessToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/v1/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An identity token for a client (OAuth 2.0 client credentials, RFC 6749 §4.4)
         * @description Authenticate with HTTP Basic or client_id and client_secret in the body. Ten failures from one address lock that client id out there for five minutes, a hundred the address; those refusals are held a second.
         */
        post: operations["issueIdentityToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List items */
        get: operations["listItems"];
        put?: never;
        /** Register an item (its provider, or the city admin) */
        post: operations["createItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/items/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One item, live or retired, with its ETag */
        get: operations["getItem"];
        /** Replace an item (its provider, or the city admin). Send the ETag of the item as last read in If-Match */
        put: operations["updateItem"];
        post?: never;
        /** Retire an item; it stays resolvable, marked retired. If-Match is checked when sent */
        delete: operations["retireItem"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/items/{id}/related": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Items related to one: its provider, its group, or a group's resources */
        get: operations["relatedItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The gateway's OpenAPI 3.1 document: every service's operations */
        get: operations["catalogueOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/schemas/{type}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The JSON Schema of an item type */
        get: operations["itemSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search items: words, tags, type, provider, city, access policy, and where */
        get: operations["searchItems"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/cat/v1/upstream-credentials/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which header a resource's upstream credential goes in, and since when (never its value) */
        get: operations["upstreamCredential"];
        /** Set the secret a proxy-mode resource's upstream is called with (one header), for its upstream's origin only; sealed when SANGAM_KEY_ENCRYPTION_SECRET is set, never shown again */
        put: operations["setUpstreamCredential"];
        post?: never;
        /** Remove a resource's upstream credential */
        delete: operations["removeUpstreamCredential"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API clients, without secrets (the city admin) */
        get: operations["listClients"];
        put?: never;
        /** An API client for an organisation, with roles; its secret is shown once (the city admin) */
        post: operations["createClient"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One API client, without its secret */
        get: operations["getClient"];
        put?: never;
        post?: never;
        /** Revoke a client: its secret and every token it holds stop at once */
        delete: operations["revokeClient"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/clients/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A new secret for a client; the old one and every token issued before stop at once */
        post: operations["rotateClientSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The consents the caller's organisation is party to (all of them for the city admin) */
        get: operations["listConsents"];
        put?: never;
        /** Ask for a consent under an active MoU (a consumer); OPEN items are granted at once */
        post: operations["requestConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One consent, with its status now */
        get: operations["getConsent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/artefact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The consent as a JWS signed by the gateway: a party's proof of what was agreed */
        get: operations["consentArtefact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a requested consent (the provider of its items) */
        post: operations["denyConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/grant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Grant a requested consent, narrowing it if the provider wants (the provider of its items) */
        post: operations["grantConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause an active consent (the provider) */
        post: operations["pauseConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused consent (the provider) */
        post: operations["resumeConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/consents/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a consent (the provider, or the consumer its own) */
        post: operations["revokeConsent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The people of the caller's organisation (its admins) */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/members/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend a member of the organisation: their console sessions end at once */
        post: operations["suspendMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/members/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Invite a person with roles into the caller's organisation (the city admin: into any); the one-time link is shown once */
        post: operations["inviteMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The MoUs the caller's organisation is party to (all of them for the city admin) */
        get: operations["listMous"];
        put?: never;
        /** Draft an MoU between the city and its partners (the city admin); every party then signs it */
        post: operations["draftMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One MoU: its terms (purposes, datasets and their limits), parties and status */
        get: operations["getMou"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/amend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Propose new terms for an MoU in force; they take effect once every party has signed them */
        post: operations["amendMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/artefact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The MoU as signed: a JWS by the gateway over its terms and signatures */
        get: operations["mouArtefact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/kpis": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An MoU's KPIs measured week by week over a range of days (the last 12 weeks by default), against their targets */
        get: operations["mouKpis"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a suspended MoU: the consents it stopped come back (the city admin) */
        post: operations["resumeMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/sign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign an MoU, or its pending amendment, for the caller's organisation (a party's admin) */
        post: operations["signMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The MoU as a readable page */
        get: operations["mouSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Suspend an active MoU: its consents stop until it is resumed (the city admin) */
        post: operations["suspendMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/terminate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Terminate an MoU after its notice period (any party's admin) */
        post: operations["terminateMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/mous/{id}/withdraw": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Withdraw the caller's organisation from an MoU (a partner's admin) */
        post: operations["withdrawFromMou"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/organisations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Organisations: all for the city admin, their own for everyone else */
        get: operations["listOrganisations"];
        put?: never;
        /** Add an organisation to the alliance (the city admin) */
        post: operations["createOrganisation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/consent/v1/organisations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One organisation */
        get: operations["getOrganisation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics, for operators: SANGAM_METRICS_TOKEN as a bearer token, or from this machine */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ngsi-ld/v1/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest record of each entity of a resource, under the release rule
         * @description Needs an access token from POST /auth/v1/access-tokens. The token is checked, then the query, then the consent and MoU as they are now; every decision is audited before anything is released.
         */
        get: operations["latestRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ngsi-ld/v1/subscriptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The subscriptions of the access token's consent */
        get: operations["listSubscriptions"];
        put?: never;
        /**
         * Subscribes the access token's consent to a resource's new records
         * @description Accepted only when the release rule allows the same query now. Notifications go to an https webhook (POSTed, signed as a detached JWS in `Sangam-Signature`, verifiable against /.well-known/jwks.json) or, with the endpoint "urn:sangam:sse", to the stream at /ngsi-ld/v1/subscriptions/{id}/events. Every notification is a release: decided, metered and audited.
         */
        post: operations["createSubscription"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ngsi-ld/v1/subscriptions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A subscription, with how its notifications fare and the webhook batches given up */
        get: operations["getSubscription"];
        put?: never;
        post?: never;
        /** Ends a subscription: its streams close and no notification starts after */
        delete: operations["deleteSubscription"];
        options?: never;
        head?: never;
        /**
         * Changes a subscription's filter, area, throttling or attributes
         * @description Decided again as a release of the new query. Open streams of it close, to be resumed with Last-Event-ID under the new query.
         */
        patch: operations["updateSubscription"];
        trace?: never;
    };
    "/ngsi-ld/v1/subscriptions/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A subscription's notifications as server-sent events
         * @description Each `notification` event carries a batch of released records and an id; reconnecting with `Last-Event-ID` resumes after it (without one, the stream starts where the subscription stands: its creation, or where its last stream ended), with nothing lost or repeated while the records are retained. When the consent or MoU stops, a final `problem` event says why and the stream closes; so does a stream whose consumer falls too far behind (`streamBehind`: resume with Last-Event-ID).
         */
        get: operations["subscriptionEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ngsi-ld/v1/temporal/entities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Records of a resource over time, under the release rule
         * @description timerel (before, after or between) with timeAt, and endTimeAt for between.
         */
        get: operations["temporalRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The gateway's OpenAPI 3.1 document: every service's operations */
        get: operations["gatewayOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers */
        get: operations["ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rs/v1/ingest/{provider}/{group}/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish a batch of a resource's records (its provider, or the provider's adapter)
         * @description Idempotent on id and observedAt. What is reported accepted is stored; nothing else is. Each record is reported accepted, duplicate or rejected with its reasons.
         */
        post: operations["ingestRecords"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rs/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The resource proxy's own OpenAPI 3.1 document (the gateway's, at /openapi.json, holds it too) */
        get: operations["proxyOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rs/v1/privacy/ledger": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ε spent per resource, released cell and local day, with the MoU's budget: everyone's for the auditor and the city, a provider's own */
        get: operations["privacyLedger"];
        put?: never;
        /** Enter an adapter's ε spending of one cycle, before it publishes (the resources' provider) */
        post: operations["enterLedgerSpending"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rs/v1/privacy/ledger/spending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A resource's local day in the ledger: ε spent per cell and the draws paid for (its provider) */
        get: operations["ledgerSpending"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rs/v1/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests, refusals and records per consent and day (a consumer's), or per item and consumer (a provider's) */
        get: operations["usage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            detail?: string;
            errors?: {
                field?: string;
                message?: string;
            }[];
            instance?: string;
            status: number;
            title: string;
            /** @example urn:dx:as:invalidPayload */
            type: string;
        };
    };
    responses: {
        /** @description An RFC 9457 problem; its `type` names the problem (see /docs/problems/) */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Web Key Set */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            kid: string;
                            kty: string;
                        }[];
                    };
                };
            };
        };
    };
    adapterLease: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The adapter's name, unique among the gateway's adapters
                 * @example sitilink-itms
                 */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "instance": "example"
                 *     }
                 */
                "application/json": {
                    /** @description The asking instance */
                    instance: string;
                };
            };
        };
        responses: {
            /** @description Whether the asking instance holds it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description When the lease lapses unless renewed */
                            expiresAt: string;
                            /** @description Whether the instance that asked holds it now */
                            held: boolean;
                            /** @description How long a lease lasts unrenewed: renew well within it */
                            leaseSeconds: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    releaseAdapterLease: {
        parameters: {
            query: {
                /** @example example */
                instance: string;
            };
            header?: never;
            path: {
                /**
                 * @description The adapter's name, unique among the gateway's adapters
                 * @example sitilink-itms
                 */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Given up (or not held by that instance) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    adapterStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Adapters and their health */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            kind: string;
                            name: string;
                            provider: string;
                            state: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    reportAdapterStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The adapter's name, unique among the gateway's adapters
                 * @example sitilink-itms
                 */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "sitilink-itms",
                 *       "kind": "example",
                 *       "provider": "example",
                 *       "state": "starting",
                 *       "recordsIn": 1,
                 *       "recordsOut": 1,
                 *       "duplicates": 1,
                 *       "rejected": 1,
                 *       "cellsSuppressed": 1,
                 *       "recordsLeftOut": 1,
                 *       "deadLettered": 1,
                 *       "consecutiveFailures": 1,
                 *       "circuit": "closed"
                 *     }
                 */
                "application/json": {
                    cellsOverBudget?: number;
                    cellsSuppressed: number;
                    circuit: "closed" | "open" | "half-open";
                    consecutiveFailures: number;
                    /** Format: date-time */
                    dataTime?: string;
                    deadLettered: number;
                    duplicates: number;
                    kind: string;
                    /** Format: date-time */
                    lastAttemptAt?: string;
                    lastError?: {
                        /** Format: date-time */
                        at: string;
                        message: string;
                        problem: string;
                    };
                    /** Format: date-time */
                    lastSuccessAt?: string;
                    /**
                     * an adapter name
                     * @description The adapter's name, unique among the gateway's adapters
                     * @example sitilink-itms
                     */
                    name: string;
                    /** Format: date-time */
                    nextPollAt?: string;
                    provider: string;
                    recordsIn: number;
                    recordsLeftOut: number;
                    recordsOut: number;
                    rejected: number;
                    /** Format: date-time */
                    staleSince?: string;
                    state: "starting" | "healthy" | "failing" | "stale" | "stopped";
                };
            };
        };
        responses: {
            /** @description Kept */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            name: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    adapterTerms: {
        parameters: {
            query: {
                /**
                 * @description The datasets (provider/group) the adapter feeds, comma-separated
                 * @example sitilink/bus-positions
                 */
                datasets: string;
                mou?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The terms, or why nothing may be published */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            epsilonPerDay?: number;
                            k?: number;
                            publish: boolean;
                            reason?: string;
                            recordsAllowed?: boolean;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    createCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoint */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            treeSize: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
        };
    };
    getCheckpoint: {
        parameters: {
            query?: {
                /** @description note: the C2SP signed note with its cosignatures, as text/plain */
                format?: "json" | "note";
                /** @description With the consistency proof from this size */
                from?: number;
            };
            header?: never;
            path: {
                /** @example 1 */
                treeSize: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoint (JSON), or its signed note (format=note, text/plain) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            treeSize: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                    "text/plain": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            406: components["responses"]["Problem"];
        };
    };
    cosignCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 1 */
                treeSize: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /** @example example */
                "text/plain": string;
            };
        };
        responses: {
            /** @description The cosignature stored */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            witness: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    latestCheckpoint: {
        parameters: {
            query?: {
                /** @description note: the C2SP signed note with its cosignatures, as text/plain */
                format?: "json" | "note";
                /** @description With the consistency proof from this size */
                from?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The checkpoint (JSON), or its signed note (format=note, text/plain) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            treeSize: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                    "text/plain": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            406: components["responses"]["Problem"];
        };
    };
    auditConsistencyProof: {
        parameters: {
            query: {
                /**
                 * @description The smaller tree size
                 * @example 1
                 */
                from: number;
                /** @description The larger tree size; the log as it is now by default */
                to?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consistency proof, hashes in base64 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            from: number;
                            fromRoot: string;
                            proof: string[];
                            to: number;
                            toRoot: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                action?: string;
                /** @description Entries after this seq (the cursor) */
                after?: number;
                client?: string;
                decision?: "allow" | "deny";
                /** @description An ISO 8601 date, or a time with its offset */
                from?: string;
                /** @description Most entries (default 100) */
                limit?: number;
                organisation?: string;
                target?: string;
                /** @description An ISO 8601 date, or a time with its offset */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries; nextCursor is the after of the next */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The after of the next page, while there is one */
                        nextCursor?: number;
                        results: {
                            action: string;
                            actor?: {
                                client?: string;
                                organisation?: string;
                            };
                            clientRequestId?: string;
                            decision?: "allow" | "deny";
                            reason?: string;
                            requestId?: string;
                            resultSize?: number;
                            seq: number;
                            target?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            time: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    getAuditEntry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example 1 */
                seq: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            action: string;
                            actor?: {
                                client?: string;
                                organisation?: string;
                            };
                            clientRequestId?: string;
                            decision?: "allow" | "deny";
                            reason?: string;
                            requestId?: string;
                            resultSize?: number;
                            seq: number;
                            target?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            time: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    auditInclusionProof: {
        parameters: {
            query?: {
                /** @description The tree size; the log as it is now by default */
                treeSize?: number;
            };
            header?: never;
            path: {
                /** @example 1 */
                seq: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The inclusion proof, hashes in base64 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            leafHash: string;
                            leafIndex: number;
                            proof: string[];
                            rootHash: string;
                            seq: number;
                            treeSize: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    exportAudit: {
        parameters: {
            query?: {
                action?: string;
                /** @description Entries after this seq (the cursor) */
                after?: number;
                client?: string;
                decision?: "allow" | "deny";
                format?: "jsonl" | "csv";
                /** @description An ISO 8601 date, or a time with its offset */
                from?: string;
                organisation?: string;
                target?: string;
                /** @description An ISO 8601 date, or a time with its offset */
                to?: string;
                /** @description Exactly the entries up to this checkpointed size */
                treeSize?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description JSON lines (application/x-ndjson) or CSV (text/csv) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                    "text/csv": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification report */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            ok: boolean;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    listWitnesses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Witnesses */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            name: string;
                            organisation: string;
                            verifierKey: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    registerWitness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "organisation": "svnit",
                 *       "verifierKey": "witness.svnit.example+138abadd+BMW0OPx0pF3rDCONl7FadgeCA4qMLX/Hpy0uPjYT68i5"
                 *     }
                 */
                "application/json": {
                    /**
                     * @description The organisation running the witness
                     * @example svnit
                     */
                    organisation: string;
                    /**
                     * @description A C2SP cosignature/v1 verifier key (name+id+key), as `sangam audit witness-key` prints it
                     * @example witness.svnit.example+138abadd+BMW0OPx0pF3rDCONl7FadgeCA4qMLX/Hpy0uPjYT68i5
                     */
                    verifierKey: string;
                };
            };
        };
        responses: {
            /** @description The witness */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            name: string;
                            organisation: string;
                            verifierKey: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    issueAccessToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "item": "sitilink/surat-bus-itms/positions",
                 *       "consent": "cns_3b9d0f6a21"
                 *     }
                 */
                "application/json": {
                    /**
                     * @description An active consent covering the item
                     * @example cns_3b9d0f6a21
                     */
                    consent: string;
                    /**
                     * @description The resource or resource group to query
                     * @example sitilink/surat-bus-itms/positions
                     */
                    item: string;
                };
            };
        };
        responses: {
            /** @description The access token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessToken: string;
                            /** Format: date-time */
                            expiresAt: string;
                            expiresIn: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    issueIdentityToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "grant_type": "client_credentials"
                 *     }
                 */
                "application/json": {
                    /** @description Or HTTP Basic */
                    client_id?: string;
                    /** @description Or HTTP Basic */
                    client_secret?: string;
                    /** @constant */
                    grant_type: "client_credentials";
                    /** @description Roles of the client, space-separated, to narrow the token to */
                    scope?: string;
                };
                /**
                 * @example {
                 *       "grant_type": "client_credentials"
                 *     }
                 */
                "application/x-www-form-urlencoded": {
                    /** @description Or HTTP Basic */
                    client_id?: string;
                    /** @description Or HTTP Basic */
                    client_secret?: string;
                    /** @constant */
                    grant_type: "client_credentials";
                    /** @description Roles of the client, space-separated, to narrow the token to */
                    scope?: string;
                };
            };
        };
        responses: {
            /** @description The token (RFC 6749 §5.1) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_token: string;
                        expires_in: number;
                        scope: string;
                        /** @constant */
                        token_type: "Bearer";
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
        };
    };
    listItems: {
        parameters: {
            query?: {
                /** @description Also return retired items */
                includeRetired?: boolean;
                /** @description Page size (default 100) */
                limit?: number;
                /** @description Items to skip */
                offset?: number;
                provider?: string;
                type?: "provider" | "resourceGroup" | "resource";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Items, one page, with totalHits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    createItem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "type": "provider",
                 *       "id": "example",
                 *       "name": "example"
                 *     }
                 */
                "application/json": {
                    city?: string;
                    description?: string;
                    /** @description The organisation id */
                    id: string;
                    name: string;
                    tags?: string[];
                    /** @constant */
                    type: "provider";
                } | {
                    /** @enum {unknown} */
                    accessPolicy?: "OPEN" | "SECURE" | "PII";
                    city?: string;
                    description: string;
                    /** @description <provider>/<group> */
                    id: string;
                    licence?: string;
                    /** GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude */
                    location?: {
                        coordinates: unknown[];
                        /** @enum {unknown} */
                        type: "Point" | "LineString" | "Polygon" | "MultiPolygon";
                    };
                    name: string;
                    tags?: string[];
                    /** @constant */
                    type: "resourceGroup";
                } | {
                    /** @enum {unknown} */
                    accessPolicy: "OPEN" | "SECURE" | "PII";
                    city?: string;
                    /** @description A JSON Schema of the records; it must compile */
                    dataModel: Record<string, never>;
                    description: string;
                    /** @description <provider>/<group>/<resource> */
                    id: string;
                    licence?: string;
                    /** GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude */
                    location?: {
                        coordinates: unknown[];
                        /** @enum {unknown} */
                        type: "Point" | "LineString" | "Polygon" | "MultiPolygon";
                    };
                    name: string;
                    /** @enum {unknown} */
                    releaseLevel: "aggregate" | "anonymised-record";
                    /** @description Days the resource proxy keeps records (the gateway default when absent) */
                    retentionDays?: number;
                    source: {
                        /** @enum {unknown} */
                        adapter: "gbfs" | "mds" | "itms" | "provider";
                    } | {
                        /** Format: uri */
                        upstream: string;
                    };
                    tags?: string[];
                    /** @constant */
                    type: "resource";
                    /** @description ISO 8601 duration, e.g. PT15M */
                    updateInterval?: string;
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The item, with its ETag */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    getItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The item */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    updateItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "type": "provider",
                 *       "id": "example",
                 *       "name": "example"
                 *     }
                 */
                "application/json": {
                    city?: string;
                    description?: string;
                    /** @description The organisation id */
                    id: string;
                    name: string;
                    tags?: string[];
                    /** @constant */
                    type: "provider";
                } | {
                    /** @enum {unknown} */
                    accessPolicy?: "OPEN" | "SECURE" | "PII";
                    city?: string;
                    description: string;
                    /** @description <provider>/<group> */
                    id: string;
                    licence?: string;
                    /** GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude */
                    location?: {
                        coordinates: unknown[];
                        /** @enum {unknown} */
                        type: "Point" | "LineString" | "Polygon" | "MultiPolygon";
                    };
                    name: string;
                    tags?: string[];
                    /** @constant */
                    type: "resourceGroup";
                } | {
                    /** @enum {unknown} */
                    accessPolicy: "OPEN" | "SECURE" | "PII";
                    city?: string;
                    /** @description A JSON Schema of the records; it must compile */
                    dataModel: Record<string, never>;
                    description: string;
                    /** @description <provider>/<group>/<resource> */
                    id: string;
                    licence?: string;
                    /** GeoJSON geometry (RFC 7946), WGS 84 longitude/latitude */
                    location?: {
                        coordinates: unknown[];
                        /** @enum {unknown} */
                        type: "Point" | "LineString" | "Polygon" | "MultiPolygon";
                    };
                    name: string;
                    /** @enum {unknown} */
                    releaseLevel: "aggregate" | "anonymised-record";
                    /** @description Days the resource proxy keeps records (the gateway default when absent) */
                    retentionDays?: number;
                    source: {
                        /** @enum {unknown} */
                        adapter: "gbfs" | "mds" | "itms" | "provider";
                    } | {
                        /** Format: uri */
                        upstream: string;
                    };
                    tags?: string[];
                    /** @constant */
                    type: "resource";
                    /** @description ISO 8601 duration, e.g. PT15M */
                    updateInterval?: string;
                    version?: string;
                };
            };
        };
        responses: {
            /** @description The item, with its new ETag */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            412: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
            428: components["responses"]["Problem"];
        };
    };
    retireItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The retired item */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            412: components["responses"]["Problem"];
        };
    };
    relatedItems: {
        parameters: {
            query: {
                /** @description Also return retired items */
                includeRetired?: boolean;
                /** @example provider */
                rel: "provider" | "group" | "resource";
            };
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Related items */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    catalogueOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    itemSchema: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example provider */
                type: "provider" | "resourceGroup" | "resource";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON Schema */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/schema+json": Record<string, never>;
                };
            };
            404: components["responses"]["Problem"];
        };
    };
    searchItems: {
        parameters: {
            query?: {
                accessPolicy?: "OPEN" | "SECURE" | "PII";
                city?: string;
                /** @description JSON positions [lon, lat]; a bbox is two corners [[lon, lat], [lon, lat]] */
                coordinates?: string;
                /** @description Shape of coordinates */
                geometry?: "bbox" | "Point" | "LineString" | "Polygon";
                /** @description within, intersects or near */
                georel?: string;
                /** @description Also return retired items */
                includeRetired?: boolean;
                /** @description Page size (default 100) */
                limit?: number;
                /** @description Metres from the point, for near */
                maxDistance?: number;
                /** @description Items to skip */
                offset?: number;
                provider?: string;
                /** @description Words in the name, description or tags */
                q?: string;
                /** @description Comma-separated tags (at most 20) */
                tags?: string;
                /** @description any by default */
                tagsMatch?: "any" | "all";
                type?: "provider" | "resourceGroup" | "resource";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Matching items, one page, with totalHits */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            provider: string;
                            resourceGroup?: string;
                            /** Format: date-time */
                            retiredAt?: string;
                            revision: number;
                            /** @enum {unknown} */
                            status: "live" | "retired";
                            /** @enum {unknown} */
                            type: "provider" | "resourceGroup" | "resource";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    upstreamCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The credential, without its value */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            header: string;
                            item: string;
                            /** @description The credential is sent to this origin only, while the upstream is there */
                            origin: string;
                            /** @description Sealed at rest (SANGAM_KEY_ENCRYPTION_SECRET set), or kept as sent */
                            sealed: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    setUpstreamCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "header": "example",
                 *       "value": "example"
                 *     }
                 */
                "application/json": {
                    /** @description The request header the provider API reads the secret from, e.g. Authorization or X-Api-Key */
                    header: string;
                    /** @description The header value, e.g. "Bearer …"; stored sealed and never shown again */
                    value: string;
                };
            };
        };
        responses: {
            /** @description Which header the credential goes in, and since when */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            header: string;
                            item: string;
                            /** @description The credential is sent to this origin only, while the upstream is there */
                            origin: string;
                            /** @description Sealed at rest (SANGAM_KEY_ENCRYPTION_SECRET set), or kept as sent */
                            sealed: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    removeUpstreamCredential: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A readable item id: <provider>, <provider>/<group> or <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    listClients: {
        parameters: {
            query?: {
                /** @description Most results (default 100) */
                limit?: number;
                /** @description Results to skip */
                offset?: number;
                /** @description Only this organisation */
                organisation?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Clients */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            clientId: string;
                            /** Format: date-time */
                            createdAt?: string;
                            name?: string;
                            organisation: string;
                            /** Format: date-time */
                            revokedAt?: string | null;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** Format: date-time */
                            secretRotatedAt?: string | null;
                            /** @enum {unknown} */
                            status: "active" | "revoked";
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    createClient: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "organisation": "svnit",
                 *       "roles": [
                 *         "admin"
                 *       ]
                 *     }
                 */
                "application/json": {
                    name?: string;
                    /**
                     * an organisation id
                     * @example svnit
                     */
                    organisation: string;
                    roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                };
            };
        };
        responses: {
            /** @description The client and its secret */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            clientId: string;
                            /** @description Shown this once; only a slow hash is kept */
                            clientSecret: string;
                            /** Format: date-time */
                            createdAt?: string;
                            name?: string;
                            organisation: string;
                            /** Format: date-time */
                            revokedAt?: string | null;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** Format: date-time */
                            secretRotatedAt?: string | null;
                            /** @enum {unknown} */
                            status: "active" | "revoked";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    getClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            clientId: string;
                            /** Format: date-time */
                            createdAt?: string;
                            name?: string;
                            organisation: string;
                            /** Format: date-time */
                            revokedAt?: string | null;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** Format: date-time */
                            secretRotatedAt?: string | null;
                            /** @enum {unknown} */
                            status: "active" | "revoked";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    revokeClient: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The revoked client */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            clientId: string;
                            /** Format: date-time */
                            createdAt?: string;
                            name?: string;
                            organisation: string;
                            /** Format: date-time */
                            revokedAt?: string | null;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** Format: date-time */
                            secretRotatedAt?: string | null;
                            /** @enum {unknown} */
                            status: "active" | "revoked";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    rotateClientSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The client and its new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            clientId: string;
                            /** @description Shown this once; only a slow hash is kept */
                            clientSecret: string;
                            /** Format: date-time */
                            createdAt?: string;
                            name?: string;
                            organisation: string;
                            /** Format: date-time */
                            revokedAt?: string | null;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** Format: date-time */
                            secretRotatedAt?: string | null;
                            /** @enum {unknown} */
                            status: "active" | "revoked";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
        };
    };
    listConsents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Consents */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    requestConsent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "mou": "mou_8f1c2a7d9e",
                 *       "items": [
                 *         "sitilink/surat-bus-itms/positions"
                 *       ],
                 *       "purpose": "example",
                 *       "accessTypes": [
                 *         "latest"
                 *       ],
                 *       "attributes": [
                 *         "speed"
                 *       ],
                 *       "releaseLevel": "aggregate",
                 *       "validTo": "2030-01-01T00:00:00Z"
                 *     }
                 */
                "application/json": {
                    accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes: string[];
                    /** Format: date-time */
                    dataFrom?: string;
                    /** Format: date-time */
                    dataTo?: string;
                    items: string[];
                    /**
                     * @description The active MoU the consent is under
                     * @example mou_8f1c2a7d9e
                     */
                    mou: string;
                    /** @description One of the purposes the MoU names (GET /consent/v1/mous/{id} lists them) */
                    purpose: string;
                    /** @description requests per minute */
                    rateLimit?: number;
                    /** @enum {unknown} */
                    releaseLevel: "aggregate" | "anonymised-record";
                    /** Format: date-time */
                    validFrom?: string;
                    /** Format: date-time */
                    validTo: string;
                };
            };
        };
        responses: {
            /** @description The consent, requested or granted */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    getConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The consent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    consentArtefact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed consent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description A compact JWS signed by the gateway */
                            jws: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    denyConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    accessTypes?: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes?: string[];
                    rateLimit?: number;
                    reason?: string;
                    /** Format: date-time */
                    validTo?: string;
                };
            };
        };
        responses: {
            /** @description The consent after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    grantConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    accessTypes?: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes?: string[];
                    rateLimit?: number;
                    reason?: string;
                    /** Format: date-time */
                    validTo?: string;
                };
            };
        };
        responses: {
            /** @description The consent after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    pauseConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    accessTypes?: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes?: string[];
                    rateLimit?: number;
                    reason?: string;
                    /** Format: date-time */
                    validTo?: string;
                };
            };
        };
        responses: {
            /** @description The consent after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    resumeConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    accessTypes?: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes?: string[];
                    rateLimit?: number;
                    reason?: string;
                    /** Format: date-time */
                    validTo?: string;
                };
            };
        };
        responses: {
            /** @description The consent after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    revokeConsent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    accessTypes?: ("latest" | "temporal" | "subscription" | "download")[];
                    attributes?: string[];
                    rateLimit?: number;
                    reason?: string;
                    /** Format: date-time */
                    validTo?: string;
                };
            };
        };
        responses: {
            /** @description The consent after the decision */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accessTypes: ("latest" | "temporal" | "subscription" | "download")[];
                            attributes: string[];
                            consumer: string;
                            /** Format: date-time */
                            createdAt: string;
                            dataFrom: string | null;
                            dataTo: string | null;
                            id: string;
                            items: string[];
                            mou: string;
                            provider: string;
                            purpose: string;
                            rateLimit: number;
                            /** @enum {unknown} */
                            releaseLevel: "aggregate" | "anonymised-record";
                            /** @enum {unknown} */
                            state: "requested" | "active" | "denied" | "paused" | "revoked";
                            /** @enum {unknown} */
                            status: "requested" | "active" | "denied" | "paused" | "revoked" | "expired" | "stopped";
                            /** Format: date-time */
                            updatedAt: string;
                            /** Format: date-time */
                            validFrom: string;
                            /** Format: date-time */
                            validTo: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    listMembers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            memberId: string;
                            name: string;
                            organisation: string;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** @enum {unknown} */
                            status: "active" | "suspended";
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    suspendMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The suspended member */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** Format: date-time */
                            createdAt: string;
                            email: string;
                            memberId: string;
                            name: string;
                            organisation: string;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** @enum {unknown} */
                            status: "active" | "suspended";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
        };
    };
    inviteMember: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "steward@svnit.ac.in",
                 *       "name": "Asha Patel",
                 *       "roles": [
                 *         "admin"
                 *       ]
                 *     }
                 */
                "application/json": {
                    /**
                     * Format: email
                     * @example steward@svnit.ac.in
                     */
                    email: string;
                    /** @example Asha Patel */
                    name: string;
                    /**
                     * an organisation id
                     * @description The organisation to join: the caller's own by default; the city admin may name any
                     */
                    organisation?: string;
                    roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                };
            };
        };
        responses: {
            /** @description The invitation and its link */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            email: string;
                            /** Format: date-time */
                            expiresAt: string;
                            invitationId: string;
                            name: string;
                            organisation: string;
                            roles: ("admin" | "provider" | "consumer" | "auditor" | "delegate")[];
                            /** @description The one-time secret of the link /join/{token}; shown this once */
                            token: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    listMous: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description MoUs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    draftMou: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "example",
                 *       "problem": {
                 *         "issue": "example",
                 *         "beneficiaries": [
                 *           "example"
                 *         ],
                 *         "kpis": [
                 *           "example"
                 *         ]
                 *       },
                 *       "areas": [
                 *         "data-sharing"
                 *       ],
                 *       "purposes": [
                 *         "example"
                 *       ],
                 *       "datasets": [
                 *         {
                 *           "group": "sitilink/surat-bus-itms",
                 *           "maxReleaseLevel": "aggregate"
                 *         }
                 *       ],
                 *       "endsAt": "2030-01-01T00:00:00Z",
                 *       "documentSha256": "9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d",
                 *       "partners": [
                 *         "sitilink"
                 *       ],
                 *       "effectiveFrom": "2030-01-01T00:00:00Z"
                 *     }
                 */
                "application/json": {
                    areas: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                    clauses?: {
                        grievance?: string;
                        intellectualProperty?: string;
                        privacy?: string;
                        roles?: string;
                    };
                    confidentiality?: string;
                    datasets: {
                        epsilonPerDay?: number;
                        /**
                         * a resource group, provider/group
                         * @example sitilink/surat-bus-itms
                         */
                        group: string;
                        /** @enum {unknown} */
                        maxReleaseLevel: "aggregate" | "anonymised-record";
                        minimumCellCount?: number;
                        personalData?: boolean;
                        personalDataPurposes?: string[];
                    }[];
                    /**
                     * a SHA-256 in hex
                     * @description The SHA-256 of the signed MoU document
                     * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                     */
                    documentSha256: string;
                    /** Format: date-time */
                    effectiveFrom: string;
                    /** Format: date-time */
                    endsAt: string;
                    kpis?: {
                        /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                        dataset?: string;
                        /** @enum {unknown} */
                        direction: "at-least" | "at-most";
                        /** @enum {unknown} */
                        metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                        /**
                         * a day, YYYY-MM-DD
                         * @description When the parties review the KPI against its target
                         */
                        reviewBy: string;
                        target: number;
                    }[];
                    noticeDays?: number;
                    partners: string[];
                    problem: {
                        beneficiaries: string[];
                        issue: string;
                        kpis: string[];
                    };
                    purposes: string[];
                    title: string;
                };
            };
        };
        responses: {
            /** @description The drafted MoU */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    getMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    amendMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "example",
                 *       "problem": {
                 *         "issue": "example",
                 *         "beneficiaries": [
                 *           "example"
                 *         ],
                 *         "kpis": [
                 *           "example"
                 *         ]
                 *       },
                 *       "areas": [
                 *         "data-sharing"
                 *       ],
                 *       "purposes": [
                 *         "example"
                 *       ],
                 *       "datasets": [
                 *         {
                 *           "group": "sitilink/surat-bus-itms",
                 *           "maxReleaseLevel": "aggregate"
                 *         }
                 *       ],
                 *       "endsAt": "2030-01-01T00:00:00Z",
                 *       "documentSha256": "9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d"
                 *     }
                 */
                "application/json": {
                    areas: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                    clauses?: {
                        grievance?: string;
                        intellectualProperty?: string;
                        privacy?: string;
                        roles?: string;
                    };
                    confidentiality?: string;
                    datasets: {
                        epsilonPerDay?: number;
                        /**
                         * a resource group, provider/group
                         * @example sitilink/surat-bus-itms
                         */
                        group: string;
                        /** @enum {unknown} */
                        maxReleaseLevel: "aggregate" | "anonymised-record";
                        minimumCellCount?: number;
                        personalData?: boolean;
                        personalDataPurposes?: string[];
                    }[];
                    /**
                     * a SHA-256 in hex
                     * @description The SHA-256 of the signed MoU document
                     * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                     */
                    documentSha256: string;
                    /** Format: date-time */
                    endsAt: string;
                    kpis?: {
                        /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                        dataset?: string;
                        /** @enum {unknown} */
                        direction: "at-least" | "at-most";
                        /** @enum {unknown} */
                        metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                        /**
                         * a day, YYYY-MM-DD
                         * @description When the parties review the KPI against its target
                         */
                        reviewBy: string;
                        target: number;
                    }[];
                    noticeDays?: number;
                    problem: {
                        beneficiaries: string[];
                        issue: string;
                        kpis: string[];
                    };
                    purposes: string[];
                    title: string;
                };
            };
        };
        responses: {
            /** @description The MoU with its pending amendment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    mouArtefact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            /** @description A compact JWS signed by the gateway */
                            jws: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
        };
    };
    mouKpis: {
        parameters: {
            query?: {
                /** @description First day, YYYY-MM-DD (83 days before to by default) */
                from?: string;
                /** @description Last day, YYYY-MM-DD (today by default) */
                to?: string;
            };
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each KPI with a value per week and for the whole range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from?: string;
                        results: {
                            kpi: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            };
                            met: boolean | null;
                            points: {
                                from: string;
                                to: string;
                                value: number | null;
                            }[];
                            whole: {
                                from: string;
                                to: string;
                                value: number | null;
                            };
                        }[];
                        title: string;
                        to?: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    resumeMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    signMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    mouSummary: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    suspendMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    terminateMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    withdrawFromMou: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /** @example {} */
                "application/json": {
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The MoU */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            areas?: ("data-sharing" | "dashboards-and-analysis" | "analytical-support" | "technical-assistance" | "capacity-building" | "manpower" | "domain-support" | "strategy")[];
                            city?: string;
                            clauses?: {
                                grievance?: string;
                                intellectualProperty?: string;
                                privacy?: string;
                                roles?: string;
                            };
                            confidentiality?: string;
                            /** Format: date-time */
                            createdAt?: string;
                            datasets: {
                                epsilonPerDay?: number;
                                /**
                                 * a resource group, provider/group
                                 * @example sitilink/surat-bus-itms
                                 */
                                group: string;
                                /** @enum {unknown} */
                                maxReleaseLevel: "aggregate" | "anonymised-record";
                                minimumCellCount?: number;
                                personalData?: boolean;
                                personalDataPurposes?: string[];
                            }[];
                            /**
                             * a SHA-256 in hex
                             * @description The SHA-256 of the signed MoU document
                             * @example 9f2b5c0e7d4a1b3c6e8f0a2d4c6b8e1f3a5c7e9b0d2f4a6c8e0b2d4f6a8c0e2d
                             */
                            documentSha256?: string;
                            /** Format: date-time */
                            effectiveFrom: string;
                            /** Format: date-time */
                            endsAt: string;
                            id: string;
                            inTerm?: boolean;
                            kpis?: {
                                /** @description One of the MoU's datasets, when the KPI measures that dataset alone */
                                dataset?: string;
                                /** @enum {unknown} */
                                direction: "at-least" | "at-most";
                                /** @enum {unknown} */
                                metric: "records-released-per-week" | "active-consumers" | "consents-granted" | "requests-refused" | "median-grant-hours" | "adapter-freshness-minutes" | "datasets-delivered-percent";
                                /**
                                 * a day, YYYY-MM-DD
                                 * @description When the parties review the KPI against its target
                                 */
                                reviewBy: string;
                                target: number;
                            }[];
                            noticeDays?: number;
                            parties: {
                                /** Format: date-time */
                                leftAt?: string;
                                organisation: string;
                                /** @enum {unknown} */
                                role: "city" | "partner";
                                /** Format: date-time */
                                signedAt?: string;
                                signedBy?: string;
                            }[];
                            partners?: string[];
                            problem?: {
                                beneficiaries: string[];
                                issue: string;
                                kpis: string[];
                            };
                            purposes: string[];
                            status: string;
                            /** Format: date-time */
                            terminatesAt?: string;
                            title: string;
                            /** Format: date-time */
                            updatedAt?: string;
                            version: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    listOrganisations: {
        parameters: {
            query?: {
                /** @description Most results (default 100) */
                limit?: number;
                /** @description Results to skip */
                offset?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Organisations */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            city: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            /** @enum {unknown} */
                            kind: "government" | "academia" | "industry" | "startup" | "community";
                            name: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
        };
    };
    createOrganisation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "Sardar Vallabhbhai NIT",
                 *       "kind": "government",
                 *       "city": "Surat"
                 *     }
                 */
                "application/json": {
                    /** @example Surat */
                    city: string;
                    /**
                     * a readable id: lower-case letters, digits and hyphens
                     * @description Readable id; derived from the name when absent
                     */
                    id?: string;
                    /** @enum {unknown} */
                    kind: "government" | "academia" | "industry" | "startup" | "community";
                    /** @example Sardar Vallabhbhai NIT */
                    name: string;
                };
            };
        };
        responses: {
            /** @description The organisation */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            city: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            /** @enum {unknown} */
                            kind: "government" | "academia" | "industry" | "startup" | "community";
                            name: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    getOrganisation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example example */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organisation */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            city: string;
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            /** @enum {unknown} */
                            kind: "government" | "academia" | "industry" | "startup" | "community";
                            name: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ok";
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    latestRecords: {
        parameters: {
            query: {
                /** @description Comma-separated attributes to return (each granted by the consent) */
                attrs?: string;
                /** @description JSON coordinates of the geometry */
                coordinates?: string;
                /** @description Point | LineString | Polygon | bbox */
                geometry?: string;
                /** @description Only "location" */
                geoproperty?: string;
                /** @description near;maxDistance==<metres> | within | intersects */
                georel?: string;
                /**
                 * @description The resource: <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
                /** @description Page size (0 counts only; SANGAM_QUERY_MAX_LIMIT at most) */
                limit?: number;
                /** @description Records to skip */
                offset?: number;
                /** @description Filter: attr==value, !=, <, <=, >, >=; `;` and, `|` or, parentheses; lists a==1,2; ranges a==1..5 */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Records in the rs envelope, a GeoJSON FeatureCollection (Accept: application/geo+json) or CSV (Accept: text/csv, needs download access) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/geo+json": {
                        /** @constant */
                        type?: "FeatureCollection";
                    };
                    "application/json": {
                        results: {
                            id: string;
                            observedAt: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                    "text/csv": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            406: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            502: components["responses"]["Problem"];
            504: components["responses"]["Problem"];
        };
    };
    listSubscriptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Subscriptions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            consent: string;
                            createdAt: string;
                            deadLetters: {
                                at: string;
                                attempts: number;
                                from: string;
                                reason: string;
                                records: number;
                                to: string;
                            }[];
                            endedReason?: string;
                            entities: {
                                id: string;
                            }[];
                            geoQ?: Record<string, never>;
                            id: string;
                            notification: {
                                attempts: number;
                                attributes?: string[];
                                endpoint: {
                                    uri: string;
                                };
                                /** @description The event stream, for an SSE subscription */
                                events?: string;
                                lastFailure?: string;
                                status: "ok" | "failed";
                            };
                            q?: string;
                            status: "active" | "ended";
                            throttling?: number;
                            /** @constant */
                            type: "Subscription";
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            401: components["responses"]["Problem"];
        };
    };
    createSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "entities": [
                 *         {
                 *           "id": "sitilink/surat-bus-itms/positions"
                 *         }
                 *       ],
                 *       "notification": {
                 *         "endpoint": {
                 *           "uri": "urn:sangam:sse"
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    description?: string;
                    /** @description The one resource whose new records are notified */
                    entities: {
                        /**
                         * @description The resource: <provider>/<group>/<resource>
                         * @example sitilink/surat-bus-itms/positions
                         */
                        id: string;
                        type?: string;
                    }[];
                    geoQ?: {
                        /** @description JSON coordinates of the geometry */
                        coordinates: string;
                        /** @description Point | LineString | Polygon | bbox */
                        geometry: string;
                        /** @constant */
                        geoproperty?: "location";
                        /** @description near;maxDistance==<metres> | within | intersects */
                        georel: string;
                    };
                    notification: {
                        /** @description Attributes to notify */
                        attributes?: string[];
                        endpoint: {
                            /** @constant */
                            accept?: "application/json";
                            /**
                             * @description An https URL to POST signed notifications to, or "urn:sangam:sse" for the subscription's own event stream
                             * @example urn:sangam:sse
                             */
                            uri: string;
                        };
                        /** @constant */
                        format?: "normalized";
                    };
                    /** @description A filter, as in queries */
                    q?: string;
                    /** @description Seconds at least between two notifications */
                    throttling?: number;
                    /** @constant */
                    type?: "Subscription";
                };
            };
        };
        responses: {
            /** @description The subscription */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            consent: string;
                            createdAt: string;
                            deadLetters: {
                                at: string;
                                attempts: number;
                                from: string;
                                reason: string;
                                records: number;
                                to: string;
                            }[];
                            endedReason?: string;
                            entities: {
                                id: string;
                            }[];
                            geoQ?: Record<string, never>;
                            id: string;
                            notification: {
                                attempts: number;
                                attributes?: string[];
                                endpoint: {
                                    uri: string;
                                };
                                /** @description The event stream, for an SSE subscription */
                                events?: string;
                                lastFailure?: string;
                                status: "ok" | "failed";
                            };
                            q?: string;
                            status: "active" | "ended";
                            throttling?: number;
                            /** @constant */
                            type: "Subscription";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
        };
    };
    getSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example sub_4f9c2a */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            consent: string;
                            createdAt: string;
                            deadLetters: {
                                at: string;
                                attempts: number;
                                from: string;
                                reason: string;
                                records: number;
                                to: string;
                            }[];
                            endedReason?: string;
                            entities: {
                                id: string;
                            }[];
                            geoQ?: Record<string, never>;
                            id: string;
                            notification: {
                                attempts: number;
                                attributes?: string[];
                                endpoint: {
                                    uri: string;
                                };
                                /** @description The event stream, for an SSE subscription */
                                events?: string;
                                lastFailure?: string;
                                status: "ok" | "failed";
                            };
                            q?: string;
                            status: "active" | "ended";
                            throttling?: number;
                            /** @constant */
                            type: "Subscription";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    deleteSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example sub_4f9c2a */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    updateSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example sub_4f9c2a */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /** @example {} */
                "application/json": {
                    geoQ?: {
                        /** @description JSON coordinates of the geometry */
                        coordinates: string;
                        /** @description Point | LineString | Polygon | bbox */
                        geometry: string;
                        /** @constant */
                        geoproperty?: "location";
                        /** @description near;maxDistance==<metres> | within | intersects */
                        georel: string;
                    };
                    notification?: {
                        attributes?: string[];
                    };
                    q?: string;
                    throttling?: number;
                };
            };
        };
        responses: {
            /** @description The subscription */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            consent: string;
                            createdAt: string;
                            deadLetters: {
                                at: string;
                                attempts: number;
                                from: string;
                                reason: string;
                                records: number;
                                to: string;
                            }[];
                            endedReason?: string;
                            entities: {
                                id: string;
                            }[];
                            geoQ?: Record<string, never>;
                            id: string;
                            notification: {
                                attempts: number;
                                attributes?: string[];
                                endpoint: {
                                    uri: string;
                                };
                                /** @description The event stream, for an SSE subscription */
                                events?: string;
                                lastFailure?: string;
                                status: "ok" | "failed";
                            };
                            q?: string;
                            status: "active" | "ended";
                            throttling?: number;
                            /** @constant */
                            type: "Subscription";
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
        };
    };
    subscriptionEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example sub_4f9c2a */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            410: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
        };
    };
    temporalRecords: {
        parameters: {
            query: {
                /** @description Comma-separated attributes to return (each granted by the consent) */
                attrs?: string;
                /** @description JSON coordinates of the geometry */
                coordinates?: string;
                /** @description RFC 3339 date-time, for between */
                endTimeAt?: string;
                /** @description Point | LineString | Polygon | bbox */
                geometry?: string;
                /** @description Only "location" */
                geoproperty?: string;
                /** @description near;maxDistance==<metres> | within | intersects */
                georel?: string;
                /**
                 * @description The resource: <provider>/<group>/<resource>
                 * @example example
                 */
                id: string;
                /** @description Page size (0 counts only; SANGAM_QUERY_MAX_LIMIT at most) */
                limit?: number;
                /** @description Records to skip */
                offset?: number;
                /** @description Filter: attr==value, !=, <, <=, >, >=; `;` and, `|` or, parentheses; lists a==1,2; ranges a==1..5 */
                q?: string;
                /** @description RFC 3339 date-time */
                timeAt?: string;
                /** @description Only "observedAt" */
                timeproperty?: string;
                /** @description before | after | between */
                timerel?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Records in the rs envelope, a GeoJSON FeatureCollection (Accept: application/geo+json) or CSV (Accept: text/csv, needs download access) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/geo+json": {
                        /** @constant */
                        type?: "FeatureCollection";
                    };
                    "application/json": {
                        results: {
                            id: string;
                            observedAt: string;
                        }[];
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                    "text/csv": string;
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            406: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            429: components["responses"]["Problem"];
            502: components["responses"]["Problem"];
            504: components["responses"]["Problem"];
        };
    };
    gatewayOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "ready";
                    };
                };
            };
            503: components["responses"]["Problem"];
        };
    };
    ingestRecords: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example surat-bus-itms */
                group: string;
                /** @example positions */
                name: string;
                /** @example sitilink */
                provider: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "records": [
                 *         {
                 *           "id": "bus-GJ05-1234-2030-01-01T08:00:00Z",
                 *           "observedAt": "2030-01-01T08:00:00Z",
                 *           "speed": 32.5
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    /**
                     * @description Records, each with id and observedAt and fitting the data model; an aggregate cell may carry "sangam:individuals"
                     * @example [
                     *       {
                     *         "id": "bus-GJ05-1234-2030-01-01T08:00:00Z",
                     *         "observedAt": "2030-01-01T08:00:00Z",
                     *         "speed": 32.5
                     *       }
                     *     ]
                     */
                    records: unknown[];
                };
            };
        };
        responses: {
            /** @description What became of each record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            accepted: number;
                            duplicates: number;
                            records: {
                                errors?: {
                                    field: string;
                                    message: string;
                                }[];
                                id?: string;
                                index: number;
                                observedAt?: string;
                                status: "accepted" | "duplicate" | "rejected";
                            }[];
                            rejected: number;
                            resource: string;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            409: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    proxyOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
        };
    };
    privacyLedger: {
        parameters: {
            query?: {
                /** @description First day, YYYY-MM-DD */
                from?: string;
                /** @description Most rows (default 1000) */
                limit?: number;
                offset?: number;
                /** @description A resource: provider/group/resource */
                resource?: string;
                /** @description Last day, YYYY-MM-DD */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ledger rows, newest day first, with the range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from?: string;
                        results: {
                            adapter: string;
                            budgetPerDay?: number;
                            cell: string;
                            day: string;
                            draws: number;
                            epsilonSpent: number;
                            provider: string;
                            resource: string;
                            updatedAt: string;
                        }[];
                        title: string;
                        to?: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
    enterLedgerSpending: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "adapter": "gbfs-yulu",
                 *       "spends": [
                 *         {
                 *           "resource": "yulu/surat-vehicles/availability",
                 *           "day": "2030-01-01",
                 *           "cell": "8a60e1a2d6dffff",
                 *           "epsilonMicro": 1,
                 *           "draws": 1,
                 *           "paid": []
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    /** @example gbfs-yulu */
                    adapter: string;
                    budgetPerDay?: number;
                    spends: {
                        /** @example 8a60e1a2d6dffff */
                        cell: string;
                        /** Format: date */
                        day: string;
                        draws: number;
                        epsilonMicro: number;
                        paid: string[];
                        /**
                         * a resource id, provider/group/resource
                         * @description A resource: provider/group/resource
                         * @example yulu/surat-vehicles/availability
                         */
                        resource: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Cells entered */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            cells: number;
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
            413: components["responses"]["Problem"];
            415: components["responses"]["Problem"];
        };
    };
    ledgerSpending: {
        parameters: {
            query: {
                /**
                 * @description The local day, YYYY-MM-DD
                 * @example 2030-01-01
                 */
                day: string;
                /**
                 * @description A resource: provider/group/resource
                 * @example yulu/surat-vehicles/availability
                 */
                resource: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Spent per cell (millionths of ε) and the draws paid for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: {
                            paid: string[];
                            spent: {
                                [key: string]: number;
                            };
                        };
                        title: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
            404: components["responses"]["Problem"];
        };
    };
    usage: {
        parameters: {
            query?: {
                /** @description First day, YYYY-MM-DD (29 days before to by default) */
                from?: string;
                /** @description Last day, YYYY-MM-DD (today by default) */
                to?: string;
                view?: "consumer" | "provider";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage rows, with the view and range */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from?: string;
                        results: {
                            consent?: string;
                            consumer?: string;
                            day: string;
                            denied: number;
                            item?: string;
                            records: number;
                            requests: number;
                        }[];
                        title: string;
                        to?: string;
                        totalHits?: number;
                        /** @example urn:dx:as:success */
                        type: string;
                        view?: "consumer" | "provider";
                    };
                };
            };
            400: components["responses"]["Problem"];
            401: components["responses"]["Problem"];
            403: components["responses"]["Problem"];
        };
    };
}
