-- Cluster mode: each node marks itself alive here with every lease renewal, so the nodes know how
-- many of them share a provider's request budget.
CREATE TABLE darkroom_nodes (
    node_id     VARCHAR(120)  NOT NULL PRIMARY KEY,
    seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
