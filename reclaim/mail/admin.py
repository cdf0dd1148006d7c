# The outbox holds plaintext addresses in transit; it is deliberately not in the admin.
