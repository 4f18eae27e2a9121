-- First statement of a lease holder's work: share-locks the lease row until that transaction ends.
SELECT spin.hold_lease(?, ?) AS held
