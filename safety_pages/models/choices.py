"""The choices of the page types' fields, and the groupings of them that rules depend on.

Kept apart from the models so that the admin forms and the rules of records (quorum, numbering,
lifecycle) can use them without importing the models that import those forms and rules.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- forums ------------------------------------------------------------------------------------------


class ForumKind(models.TextChoices):
    COUNCIL = "rad", _("råd")
    COMMITTEE = "utskott", _("utskott")
    NETWORK = "natverk", _("nätverk")
    LOCAL_GROUP = "lokal_arbetsgrupp", _("lokal arbetsgrupp")
    STEERING_GROUP = "styrgrupp", _("styrgrupp")
    COORDINATION_GROUP = "samordningsgrupp", _("samordningsgrupp")
    PREPARATION_GROUP = "beredningsgrupp", _("beredningsgrupp")
    COOPERATION_COUNCIL = "samverkansrad", _("samverkansråd")
    CRISIS_COUNCIL = "krishanteringsrad", _("krishanteringsråd")
    BOARD = "namnd", _("styrelse eller nämnd")
    OTHER = "annat", _("annat")


class ForumLevel(models.TextChoices):
    POLITICAL = "politisk", _("politisk nivå")
    STRATEGIC = "strategisk", _("strategisk nivå")
    TACTICAL = "taktisk", _("taktisk nivå")
    OPERATIONAL = "operativ", _("operativ eller lokal nivå")


class ForumStatus(models.TextChoices):
    PLANNED = "planerad", _("planerad")
    ACTIVE = "aktiv", _("aktiv")
    DISSOLVED = "upplost", _("upplöst")


class ModelRole(models.TextChoices):
    WHAT = "vad", _("Vad – politiken beslutar vad som ska göras")
    HOW = "hur", _("Hur – förvaltningen beslutar hur det görs")
    BOTH = "bada", _("Både vad och hur")


class MemberRole(models.TextChoices):
    CHAIR = "ordforande", _("ordförande")
    VICE_CHAIR = "vice_ordforande", _("vice ordförande")
    CONVENER = "sammankallande", _("sammankallande")
    SECRETARY = "sekreterare", _("sekreterare")
    PRESENTER = "foredragande", _("föredragande")
    MEMBER = "ledamot", _("ledamot")
    SUBSTITUTE = "ersattare", _("ersättare")
    CO_OPTED = "adjungerad", _("adjungerad")
    PERMANENT = "permanent_medlem", _("permanent medlem")
    WHEN_NEEDED = "vid_behov", _("kallas vid behov")


# Roles that occupy one of the forum's ordinary seats (the chair is also a member). Permanent members sit beside
# them by office: Linköping's Trygghetsråd is seven KS members plus the municipal director and the security chief
# (DOMAIN.md), so its directors fill none of the seven, and count for no quorum.
ORDINARY_SEAT_ROLES = {MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.MEMBER}


# --- instructions ------------------------------------------------------------------------------------


class InstructionStatus(models.TextChoices):
    PROPOSAL = "forslag", _("förslag")
    ADOPTED = "antagen", _("antagen")
    REPEALED = "upphavd", _("upphävd")


class QuorumRule(models.TextChoices):
    MORE_THAN_HALF = "mer_an_halften", _("mer än hälften av ledamöterna närvarande")
    HALF = "halften", _("minst hälften av ledamöterna närvarande")
    NONE = "ingen", _("ingen beslutförhetsregel")


# --- meetings ----------------------------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    PLANNED = "planerat", _("planerat")
    NOTICE_SENT = "kallelse", _("kallelse utskickad")
    HELD = "genomfort", _("genomfört")
    CANCELLED = "installt", _("inställt")


# A meeting still to be held: it may be called (kallelse) and members may report förhinder.
UPCOMING_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.NOTICE_SENT)


class RecordState(models.TextChoices):
    """Where the minutes are in their lifecycle; derived from the justering and anslag dates."""

    NONE = "inget", _("inget protokoll")
    DRAFT = "utkast", _("utkast")
    ADJUSTED = "justerat", _("justerat")
    POSTED = "anslaget", _("anslaget")


class AttendanceKind(models.TextChoices):
    MEMBER = "beslutande", _("beslutande ledamot")
    SERVING_SUBSTITUTE = "tjanstgorande", _("tjänstgörande ersättare")
    SUBSTITUTE = "ersattare", _("ej tjänstgörande ersättare")
    OTHER = "ovrig", _("övrig närvarande")


# Who counts towards the quorum: ordinary members and substitutes serving for an absent member.
DECIDING_KINDS = (AttendanceKind.MEMBER, AttendanceKind.SERVING_SUBSTITUTE)


class AttendanceFunction(models.TextChoices):
    NONE = "", _("–")
    CHAIR = "ordforande", _("ordförande")
    VICE_CHAIR = "vice_ordforande", _("vice ordförande")
    SECRETARY = "sekreterare", _("sekreterare")
    ADJUSTER = "justerare", _("justerare")
