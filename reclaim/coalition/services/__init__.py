"""The coalition's services, one module per part (directory, logos, applications, ...).
Every write of the app goes through a function of one of them."""
