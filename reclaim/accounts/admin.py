from django.contrib import admin

from reclaim.accounts.forms import LockoutAdminAuthenticationForm

# The admin's sign-in says so when a username is locked after too many failures.
admin.site.login_form = LockoutAdminAuthenticationForm
