-- One bounded round of history pruning (schema/README.md, "History retention"): rows deleted per kind.
SELECT kind, pruned FROM spin.prune_history(?)
