account_name = "batcave-impl"
