from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from reclaim.accounts.forms import LockoutAdminAuthenticationForm
from reclaim.accounts.models import StaffProfile

# The admin's sign-in says so when a username is locked after too many failures.
admin.site.login_form = LockoutAdminAuthenticationForm


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["language"]


class StaffUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, StaffProfileInline]


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, StaffUserAdmin)
