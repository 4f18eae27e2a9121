SELECT set_config('spin.replay_now', ?, false)
