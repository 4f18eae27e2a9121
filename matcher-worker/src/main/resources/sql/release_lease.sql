SELECT spin.release_lease(?, ?) AS released
