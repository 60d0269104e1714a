export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and the newest log position */
        get: operations["getHealth"];
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
        /**
         * Prometheus metrics (text exposition format)
         * @description No credentials: keep it off the public internet.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This OpenAPI document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/commits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create, update and delete rows atomically
         * @description All operations get one log entry and one syncId, or none is written. Send an `Idempotency-Key` to make a retry safe.
         */
        post: operations["createCommit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/commits/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Several commits in one request, applied in order
         * @description Up to 100 commits, each atomic on its own with its own `idempotencyKey` and its own result: one refused commit changes nothing and stops nothing. A malformed batch is refused whole.
         */
        post: operations["createCommitBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One tasks row */
        get: operations["retrieveTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/notes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One notes row */
        get: operations["retrieveNotes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of tasks rows */
        get: operations["listTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of notes rows */
        get: operations["listNotes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/bootstrap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every row you may see, and the syncId they are consistent with */
        get: operations["getBootstrap"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The change log after a syncId (long-poll with `wait`)
         * @description With `presence` (a version from `GET /v1/presence`), the long-poll also answers when presence changes: one parked request per client carries both. Fetch `GET /v1/presence` when `presenceVersion` differs from yours.
         */
        get: operations["listChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One row’s history: who changed or claimed it */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claims": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A row’s holder and waiting line */
        get: operations["getRowClaims"];
        put?: never;
        /**
         * Claim a row or a field (waits in line)
         * @description Held open while the claim waits; answers when it is granted, with the fencing token and the row re-read at the grant.
         */
        post: operations["acquireClaim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claims/active": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every row that has claims */
        get: operations["listActiveClaims"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claims/reorder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reorder the waiting line (a holder, or a secret key) */
        post: operations["reorderClaims"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claims/{claimId}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Renew a claim’s lease */
        post: operations["heartbeatClaim"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/claims/{claimId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Release a claim, or leave the line */
        delete: operations["releaseClaim"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is connected and what they look at (long-poll with `after` and `wait`)
         * @description Entries whose sync groups meet the caller’s; an intent on a row the caller cannot see reads `null`. Naming an HTTP participant the caller owns in `connectionId` keeps it alive (404 once it expired: `PUT` again).
         */
        get: operations["listPresence"];
        /**
         * Register or refresh an HTTP participant and set its intent
         * @description Without a `connectionId` (or with one that expired), a new entry is made: keep the returned id and refresh it within `ttlMs`.
         */
        put: operations["putPresence"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/presence/{connectionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Leave: remove an HTTP participant at once */
        delete: operations["deletePresence"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint a session token (secret key only) */
        post: operations["createSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a session token (secret key only) */
        delete: operations["revokeSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A run’s commits, in log order
         * @description The commits made with this `runId` (an agent’s task), with the changes the caller may see; 404 when it sees none.
         */
        get: operations["listRunChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/runs/{runId}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Take back a run’s changes that nobody changed since, in one commit
         * @description What someone else changed since (or holds a claim on) is reported in `conflicts` and left alone.
         */
        post: operations["revertRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every webhook endpoint */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /** Create a webhook endpoint (its secret is shown once) */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /** Change, enable or disable a webhook endpoint */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/roll_secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll the signing secret (the old one keeps signing for `expiresInSeconds`) */
        post: operations["rollWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook_endpoints/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest delivery attempts of an endpoint */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    changes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A batch of events, in log order, signed with Standard Webhooks
         * @description Answer 2xx to advance the endpoint’s cursor; anything else is retried (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then the endpoint is disabled.
         */
        post: operations["receiveChanges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        Error: {
            error: {
                /**
                 * @description The error class the TypeScript client throws
                 * @enum {string}
                 */
                type: "TandemError" | "TandemValidationError" | "TandemStaleContextError" | "TandemClaimedError" | "TandemAuthError" | "TandemNotFoundError" | "TandemConflictError" | "TandemRateLimitError" | "TandemConnectionError";
                /**
                 * @description What to branch on
                 * @enum {string}
                 */
                code: "invalid_data" | "invalid_request" | "invalid_json" | "unknown_model" | "unknown_field" | "payload_too_large" | "too_many_operations" | "stale_context" | "entity_claimed" | "claim_lost" | "grant_timeout" | "queue_too_deep" | "too_many_waiting_claims" | "claim_conflict" | "unauthenticated" | "forbidden" | "session_expired" | "not_found" | "idempotency_key_reused" | "already_exists" | "history_compacted" | "store_locked" | "rate_limited" | "offline" | "timeout" | "slow_consumer" | "internal_error" | "source_unavailable" | "source_timeout" | "source_invalid_response" | "source_unauthorized";
                message: string;
                /** @description The input at fault, e.g. `operations[0].title` */
                param?: string;
                details?: {
                    [key: string]: unknown;
                };
            };
        };
        ClaimState: {
            id: string;
            /** @enum {string} */
            status: "active" | "queued" | "released" | "expired" | "canceled";
            target: {
                model: string;
                id: string;
                field?: string;
            };
            action: string;
            heldBy: {
                id: string;
                /** @enum {string} */
                kind: "human" | "agent";
                name?: string;
            };
            position: number;
            createdAt: string;
            expiresAt: string | null;
        };
        Tasks: {
            title: string;
            /**
             * @default todo
             * @enum {string}
             */
            status: "todo" | "doing" | "done";
            assignee?: string | null;
            points?: number;
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Log position of the row’s last change */
            syncId: number;
        };
        Notes: {
            body: string;
            id: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Log position of the row’s last change */
            syncId: number;
        };
        GetHealthResponse: {
            /** @constant */
            ok: true;
            store: string;
            syncId: number;
        };
        GetOpenApiDocumentResponse: {
            [key: string]: unknown;
        };
        CreateCommitResponse: {
            /** @constant */
            object: "commit";
            syncId: number;
            stale: boolean;
            rows: ((components["schemas"]["Tasks"] | components["schemas"]["Notes"]) | null)[];
        };
        CreateCommitBatchResponse: {
            /** @constant */
            object: "commit_batch";
            results: ({
                /** @constant */
                object: "commit";
                syncId: number;
                stale: boolean;
                rows: (({
                    id: string;
                    createdAt: string;
                    updatedAt: string;
                    syncId: number;
                } & {
                    [key: string]: unknown;
                }) | null)[];
            } | {
                /** @constant */
                object: "error";
                status: number;
                error: {
                    type: string;
                    code: string;
                    message: string;
                    param?: string;
                    details?: {
                        [key: string]: unknown;
                    };
                };
            })[];
        };
        ListTasksResponse: {
            /** @constant */
            object: "list";
            data: components["schemas"]["Tasks"][];
            hasMore: boolean;
            nextCursor: string | null;
        };
        ListNotesResponse: {
            /** @constant */
            object: "list";
            data: components["schemas"]["Notes"][];
            hasMore: boolean;
            nextCursor: string | null;
        };
        GetBootstrapResponse: {
            /** @constant */
            object: "bootstrap";
            syncId: number;
            rows: {
                tasks?: components["schemas"]["Tasks"][];
                notes?: components["schemas"]["Notes"][];
            };
        };
        ListChangesResponse: {
            /** @constant */
            object: "list";
            data: {
                syncId: number;
                txId: string | null;
                actor: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                stale: boolean;
                createdAt: string;
                changes: ({
                    /** @constant */
                    model: "tasks";
                    id: string;
                    /** @enum {string} */
                    op: "create" | "update" | "delete";
                    data: components["schemas"]["Tasks"] | null;
                    previous: {
                        [key: string]: unknown;
                    } | null;
                    groups: string[];
                    previousGroups?: string[];
                } | {
                    /** @constant */
                    model: "notes";
                    id: string;
                    /** @enum {string} */
                    op: "create" | "update" | "delete";
                    data: components["schemas"]["Notes"] | null;
                    previous: {
                        [key: string]: unknown;
                    } | null;
                    groups: string[];
                    previousGroups?: string[];
                })[];
                runId?: string;
                /** @constant */
                runRevert?: true;
                claim?: {
                    /** @enum {string} */
                    event: "queued" | "granted" | "released" | "expired" | "canceled";
                    state: components["schemas"]["ClaimState"];
                    groups: string[];
                };
            }[];
            hasMore: boolean;
            cursor: number;
            syncId: number;
            resync?: boolean;
            presenceVersion?: number;
        };
        ListAuditResponse: {
            /** @constant */
            object: "list";
            data: ({
                syncId: number;
                /** @enum {string} */
                op: "create" | "update" | "delete";
                actor: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                stale: boolean;
                createdAt: string;
                previous: {
                    [key: string]: unknown;
                } | null;
                data: ({
                    id: string;
                    createdAt: string;
                    updatedAt: string;
                    syncId: number;
                } & {
                    [key: string]: unknown;
                }) | null;
            } | {
                syncId: number;
                /** @enum {string} */
                op: "claim.queued" | "claim.granted" | "claim.released" | "claim.expired" | "claim.canceled";
                actor: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                createdAt: string;
                claim: components["schemas"]["ClaimState"];
            })[];
            hasMore: boolean;
        };
        AcquireClaimResponse: {
            id: string;
            /** @enum {string} */
            status: "active" | "queued" | "released" | "expired" | "canceled";
            target: {
                model: string;
                id: string;
                field?: string;
            };
            action: string;
            heldBy: {
                id: string;
                /** @enum {string} */
                kind: "human" | "agent";
                name?: string;
            };
            position: number;
            createdAt: string;
            expiresAt: string | null;
            token: string;
            data: {
                id: string;
                createdAt: string;
                updatedAt: string;
                syncId: number;
            } & {
                [key: string]: unknown;
            };
        };
        GetRowClaimsResponse: {
            holder: components["schemas"]["ClaimState"] | null;
            queue: components["schemas"]["ClaimState"][];
            claims: components["schemas"]["ClaimState"][];
        };
        ListActiveClaimsResponse: {
            /** @constant */
            object: "list";
            data: {
                model: string;
                id: string;
                claims: components["schemas"]["ClaimState"][];
            }[];
        };
        ReorderClaimsResponse: {
            /** @constant */
            object: "claim_queue";
            claims: components["schemas"]["ClaimState"][];
        };
        ListPresenceResponse: {
            /** @constant */
            object: "presence";
            version: number;
            self: string | null;
            data: {
                connectionId: string;
                participant: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                };
                intent: {
                    model: string;
                    id: string;
                    field?: string;
                    action?: string;
                } | null;
                connectedAt: string;
                updatedAt: string;
            }[];
        };
        PutPresenceResponse: {
            /** @constant */
            object: "presence_entry";
            connectionId: string;
            ttlMs: number;
            entry: {
                connectionId: string;
                participant: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                };
                intent: {
                    model: string;
                    id: string;
                    field?: string;
                    action?: string;
                } | null;
                connectedAt: string;
                updatedAt: string;
            };
        };
        DeletePresenceResponse: {
            /** @constant */
            object: "presence_entry";
            connectionId: string;
            /** @constant */
            deleted: true;
        };
        CreateSessionResponse: {
            /** @constant */
            object: "session";
            id: string;
            /** @description `ek_…`: give it to the browser or agent */
            token: string;
            /** Format: date-time */
            expiresAt: string;
            userId: string;
            groups: string[];
            participant: {
                /** @enum {string} */
                kind: "human" | "agent";
                name?: string;
            };
            onBehalfOf: string | null;
        };
        RevokeSessionResponse: {
            /** @constant */
            object: "session";
            id: string;
            /** @constant */
            revoked: true;
        };
        ListRunChangesResponse: {
            /** @constant */
            object: "list";
            runId: string;
            data: {
                syncId: number;
                txId: string | null;
                actor: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                stale: boolean;
                createdAt: string;
                changes: {
                    model: string;
                    id: string;
                    /** @enum {string} */
                    op: "create" | "update" | "delete";
                    data: ({
                        id: string;
                        createdAt: string;
                        updatedAt: string;
                        syncId: number;
                    } & {
                        [key: string]: unknown;
                    }) | null;
                    previous: {
                        [key: string]: unknown;
                    } | null;
                    groups: string[];
                    previousGroups?: string[];
                }[];
                runId?: string;
                /** @constant */
                runRevert?: true;
                claim?: {
                    /** @enum {string} */
                    event: "queued" | "granted" | "released" | "expired" | "canceled";
                    state: components["schemas"]["ClaimState"];
                    groups: string[];
                };
            }[];
            hasMore: boolean;
            nextCursor: number | null;
        };
        RevertRunResponse: {
            /** @constant */
            object: "run_revert";
            runId: string;
            syncId: number | null;
            reverted: {
                model: string;
                id: string;
                /** @enum {string} */
                op: "create" | "update" | "delete";
                fields?: string[];
            }[];
            conflicts: {
                model: string;
                id: string;
                field?: string;
                /** @enum {string} */
                reason: "overwritten" | "claimed" | "unrestorable";
                syncId?: number;
                actor?: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                heldBy?: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                };
            }[];
        };
        CreateWebhookEndpointResponse: {
            /** @constant */
            object: "webhook_endpoint";
            id: string;
            url: string;
            description: string;
            enabledEvents: string[];
            /** @enum {string} */
            status: "enabled" | "disabled";
            disabledReason: ("manual" | "failing") | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description Every entry with syncId ≤ cursor was delivered (or filtered out) */
            cursor: number;
            failures: number;
            nextAttemptAt: string | null;
            /** @description `whsec_…`, shown once: on creation and roll */
            secret?: string;
        };
        ListWebhookEndpointsResponse: {
            /** @constant */
            object: "list";
            data: components["schemas"]["CreateWebhookEndpointResponse"][];
            hasMore: boolean;
            nextCursor: string | null;
        };
        ListWebhookDeliveriesResponse: {
            /** @constant */
            object: "list";
            data: {
                /** @constant */
                object: "webhook_delivery";
                id: string;
                /** @description The `webhook-id` header: the same on every retry of one batch */
                messageId: string;
                /** Format: date-time */
                attemptedAt: string;
                attempt: number;
                ok: boolean;
                status: number | null;
                latencyMs: number;
                error: string | null;
                eventCount: number;
                firstSyncId: number;
                lastSyncId: number;
            }[];
            hasMore: boolean;
            nextCursor: string | null;
        };
        ReceiveChangesPayload: {
            data: {
                /** @description `evt_<syncId>_<index>`: stable across retries */
                id: string;
                /** @description `<model>.created|updated|deleted` or `<model>.claim.<granted|released|expired|queued|canceled>` */
                type: string;
                model: string;
                objectId: string;
                data: {
                    [key: string]: unknown;
                } | null;
                previous: {
                    [key: string]: unknown;
                } | null;
                syncId: number;
                actor: {
                    id: string;
                    /** @enum {string} */
                    kind: "human" | "agent";
                    name?: string;
                    onBehalfOf?: string | null;
                    /** @enum {string} */
                    transport?: "websocket" | "http" | "server";
                };
                stale: boolean;
                /** Format: date-time */
                createdAt: string;
            }[];
        };
        TasksCreate: {
            title: string;
            /**
             * @default todo
             * @enum {string}
             */
            status?: "todo" | "doing" | "done";
            assignee?: string | null;
            points?: number;
        };
        TasksUpdate: {
            title?: string;
            /** @enum {string} */
            status?: "todo" | "doing" | "done";
            assignee?: string | null;
            points?: number;
        };
        NotesCreate: {
            body: string;
        };
        NotesUpdate: {
            body?: string;
        };
        CreateCommitRequest: {
            operations: (({
                /** @constant */
                op: "create";
                /** @constant */
                model: "tasks";
                id?: string;
                data: components["schemas"]["TasksCreate"];
            } | {
                /** @constant */
                op: "update";
                /** @constant */
                model: "tasks";
                id: string;
                data: components["schemas"]["TasksUpdate"];
                readAt?: number;
                /** @enum {string} */
                onStale?: "reject" | "force" | "flag";
                /** @description Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation */
                claimToken?: string;
            } | {
                /** @constant */
                op: "delete";
                /** @constant */
                model: "tasks";
                id: string;
                readAt?: number;
                /** @enum {string} */
                onStale?: "reject" | "force" | "flag";
                /** @description Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation */
                claimToken?: string;
            }) | ({
                /** @constant */
                op: "create";
                /** @constant */
                model: "notes";
                id?: string;
                data: components["schemas"]["NotesCreate"];
            } | {
                /** @constant */
                op: "update";
                /** @constant */
                model: "notes";
                id: string;
                data: components["schemas"]["NotesUpdate"];
                readAt?: number;
                /** @enum {string} */
                onStale?: "reject" | "force" | "flag";
                /** @description Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation */
                claimToken?: string;
            } | {
                /** @constant */
                op: "delete";
                /** @constant */
                model: "notes";
                id: string;
                readAt?: number;
                /** @enum {string} */
                onStale?: "reject" | "force" | "flag";
                /** @description Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation */
                claimToken?: string;
            }))[];
            claimToken?: string;
            txId?: string;
            runId?: string;
        };
        CreateCommitBatchRequest: {
            commits: {
                operations: {
                    /** @enum {string} */
                    op: "create" | "update" | "delete";
                    model: string;
                    id?: string;
                    data?: unknown;
                    readAt?: number;
                    /** @enum {string} */
                    onStale?: "reject" | "force" | "flag";
                    /** @description Fencing token of the claim this operation writes under; wins over the commit’s `claimToken` for this operation */
                    claimToken?: string;
                }[];
                claimToken?: string;
                txId?: string;
                runId?: string;
                idempotencyKey?: string;
            }[];
        };
        AcquireClaimRequest: {
            model: string;
            id: string;
            field?: string;
            action?: string;
            wait?: boolean;
            maxQueueDepth?: number;
            ttl?: number | string;
            timeoutMs?: number | string;
        };
        ReorderClaimsRequest: {
            model: string;
            id: string;
            field?: string;
            order: string[];
        };
        PutPresenceRequest: {
            connectionId?: string;
            intent: {
                model: string;
                id: string;
                field?: string;
                action?: string;
            } | null;
        };
        CreateSessionRequest: {
            userId: string;
            groups: string[];
            participant?: {
                /** @enum {string} */
                kind: "human" | "agent";
                name?: string;
            };
            onBehalfOf?: string;
            ttl?: number | string;
        };
        RevertRunRequest: Record<string, never>;
        CreateWebhookEndpointRequest: {
            url: string;
            /** @default  */
            description?: string;
            /**
             * @default [
             *       "*"
             *     ]
             */
            enabledEvents?: string[];
            /**
             * @default enabled
             * @enum {string}
             */
            status?: "enabled" | "disabled";
        };
        UpdateWebhookEndpointRequest: {
            url?: string;
            description?: string;
            enabledEvents?: string[];
            /** @enum {string} */
            status?: "enabled" | "disabled";
            disabled?: boolean;
        };
        RollWebhookSecretRequest: {
            /** @default 86400 */
            expiresInSeconds?: number;
        };
    };
    responses: {
        /** @description Invalid request or data */
        Error400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Missing, unknown or expired credentials */
        Error401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description These credentials may not do this */
        Error403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not found (or not visible to these credentials) */
        Error404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not granted in time */
        Error408: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Conflict: claimed, stale, reused idempotency key, existing id */
        Error409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Body larger than the limit */
        Error413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Rate limited (see `Retry-After`) */
        Error429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Internal error (the details are in the server log under the request id) */
        Error500: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
        TandemParticipantKind: "human" | "agent";
        /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
        TandemParticipantName: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetHealthResponse"];
                };
            };
            500: components["responses"]["Error500"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            500: components["responses"]["Error500"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OpenAPI 3.1 document for this server’s schema */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetOpenApiDocumentResponse"];
                };
            };
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    createCommit: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCommitRequest"];
            };
        };
        responses: {
            /** @description The commit */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateCommitResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    createCommitBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCommitBatchRequest"];
            };
        };
        responses: {
            /** @description One result per commit, in order: the commit, or its error envelope with the status it would have had alone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateCommitBatchResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    retrieveTasks: {
        parameters: {
            query?: {
                /** @description While a claim is held: answer at once, wait for the release, or 409 */
                ifClaimed?: "return" | "wait" | "fail";
                timeoutMs?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tasks"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            408: components["responses"]["Error408"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    retrieveNotes: {
        parameters: {
            query?: {
                /** @description While a claim is held: answer at once, wait for the release, or 409 */
                ifClaimed?: "return" | "wait" | "fail";
                timeoutMs?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Notes"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            408: components["responses"]["Error408"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listTasks: {
        parameters: {
            query?: {
                /** @description JSON: `{"status":"todo"}`, `{"status":["todo","doing"]}`, `{"title":{"gte":"M"}}` */
                where?: string;
                /** @description JSON: `{"createdAt":"desc"}` or `[{"status":"asc"},{"title":"asc"}]` */
                orderBy?: string;
                /** @description 1–1000, default 100 */
                limit?: number;
                /** @description `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListTasksResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listNotes: {
        parameters: {
            query?: {
                /** @description JSON: `{"status":"todo"}`, `{"status":["todo","doing"]}`, `{"title":{"gte":"M"}}` */
                where?: string;
                /** @description JSON: `{"createdAt":"desc"}` or `[{"status":"asc"},{"title":"asc"}]` */
                orderBy?: string;
                /** @description 1–1000, default 100 */
                limit?: number;
                /** @description `nextCursor` of the previous page */
                cursor?: string;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of rows */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListNotesResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    getBootstrap: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rows by model */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetBootstrapResponse"];
                };
            };
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listChanges: {
        parameters: {
            query?: {
                /** @description Entries with a syncId greater than this */
                after?: number;
                /** @description Seconds to hold the request while nothing is new (0–60) */
                wait?: number;
                limit?: number;
                /** @description A presence `version` seen before: the wait also ends when presence changes after it, and the page carries `presenceVersion` */
                presence?: number;
                /** @description The caller’s HTTP participant, kept alive by this poll (an id it does not own is ignored) */
                connectionId?: string;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the log; pass `cursor` as the next `after` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListChangesResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listAudit: {
        parameters: {
            query: {
                model: string;
                id: string;
                limit?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The newest `limit` items, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListAuditResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    getRowClaims: {
        parameters: {
            query: {
                model: string;
                id: string;
                field?: string;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Holder and line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetRowClaimsResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    acquireClaim: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcquireClaimRequest"];
            };
        };
        responses: {
            /** @description The granted claim */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AcquireClaimResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            408: components["responses"]["Error408"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listActiveClaims: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rows with claims */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListActiveClaimsResponse"];
                };
            };
            401: components["responses"]["Error401"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    reorderClaims: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReorderClaimsRequest"];
            };
        };
        responses: {
            /** @description The line after the reorder */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReorderClaimsResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    heartbeatClaim: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                claimId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The claim with its new `expiresAt` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimState"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    releaseClaim: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                claimId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The final state (`released`, or `canceled` for a waiter) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClaimState"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            409: components["responses"]["Error409"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listPresence: {
        parameters: {
            query?: {
                /** @description The caller’s HTTP participant, refreshed by this poll */
                connectionId?: string;
                /** @description A `version` seen before: wait until presence changes after it */
                after?: number;
                /** @description Seconds to hold the request while nothing changed (0–60) */
                wait?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The visible entries, oldest connection first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListPresenceResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    putPresence: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutPresenceRequest"];
            };
        };
        responses: {
            /** @description The entry and how long it lives without a refresh */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PutPresenceResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    deletePresence: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                connectionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeletePresenceResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    createSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSessionRequest"];
            };
        };
        responses: {
            /** @description The token */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateSessionResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    revokeSession: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked (also for an id never issued) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokeSessionResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listRunChanges: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of the run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListRunChangesResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    revertRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RevertRunRequest"];
            };
        };
        responses: {
            /** @description What was reverted and what was left alone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevertRunResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            409: components["responses"]["Error409"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoints */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookEndpointsResponse"];
                };
            };
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint, with `secret` */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["UpdateWebhookEndpointRequest"];
            };
        };
        responses: {
            /** @description The endpoint */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    rollWebhookSecret: {
        parameters: {
            query?: never;
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RollWebhookSecretRequest"];
            };
        };
        responses: {
            /** @description The endpoint, with the new `secret` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateWebhookEndpointResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            413: components["responses"]["Error413"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: {
                /** @description With a secret key: who is acting, recorded as the actor of the log entries (default `agent`) */
                "Tandem-Participant-Kind"?: components["parameters"]["TandemParticipantKind"];
                /** @description A display name (≤ 200 characters), read together with `Tandem-Participant-Kind` */
                "Tandem-Participant-Name"?: components["parameters"]["TandemParticipantName"];
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Attempts, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListWebhookDeliveriesResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            403: components["responses"]["Error403"];
            404: components["responses"]["Error404"];
            429: components["responses"]["Error429"];
            500: components["responses"]["Error500"];
        };
    };
    receiveChanges: {
        parameters: {
            query?: never;
            header: {
                /** @description The batch id, the same on every retry */
                "Webhook-Id": string;
                /** @description Unix seconds */
                "Webhook-Timestamp": string;
                /** @description `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, space-separated while a rolled secret still signs */
                "Webhook-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReceiveChangesPayload"];
            };
        };
        responses: {
            /** @description Delivered: the cursor advances */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
