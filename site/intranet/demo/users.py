"""Demo users, one per role. The demo password lives here and nowhere else."""

from django.contrib.auth import get_user_model

from safety_pages.access import roles

DEMO_PASSWORD = "trygghet-demo"

DEMO_USERS = [
    # username, first name, last name, groups, superuser, description
    ("admin", "Adam", "Administratör", [roles.ADMINISTRATORS], True, "superanvändare"),
    ("redaktor", "Rut", "Redaktör", [roles.EDITORS, roles.EMPLOYEES], False, "redaktör"),
    ("granskare", "Greta", "Granskare", [roles.REVIEWERS, roles.EMPLOYEES], False, "granskare"),
    ("medarbetare", "Maja", "Medarbetare", [roles.EMPLOYEES], False, "medarbetare, läser"),
    ("ledamot", "Leo", "Ledamot", [roles.EMPLOYEES], False, "ledamot i Mjölbys trygghets- och säkerhetsutskott"),
    (
        "ordforande",
        "Olga",
        "Ordförande",
        [roles.EMPLOYEES],
        False,
        "ordförande i Mjölbys trygghets- och säkerhetsutskott",
    ),
]


def load(context):
    groups = roles.ensure_groups(context.home)
    User = get_user_model()
    for username, first, last, group_names, superuser, description in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.invalid",
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(*(groups[name] for name in group_names))
        context.users[username] = user
        context.logins.append((username, description))
