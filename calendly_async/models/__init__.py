"""msgspec models of Calendly resources, one module per API area."""

from ._base import Model, Timestamp
from .activity_log import (
    ActivityLogActor,
    ActivityLogActorGroup,
    ActivityLogActorOrganization,
    ActivityLogEntry,
)
from .availability import (
    AvailabilityInterval,
    AvailabilityRule,
    AvailabilityRuleSet,
    AvailabilitySchedule,
    BusyTimeEvent,
    UserBusyTime,
)
from .contact_lists import (
    ContactList,
    ContactListMembershipResult,
)
from .contacts import (
    Contact,
    ContactCustomField,
    ContactEmail,
    ContactPhoneNumber,
    CustomFieldDefinition,
    CustomFieldOption,
)
from .event_type_settings import (
    EventTypeAvailabilityRules,
    EventTypeAvailabilitySchedule,
    EventTypeMembership,
    OneOffDateSetting,
    OneOffSpot,
)
from .event_types import (
    CustomQuestion,
    EventType,
    EventTypeAvailableTime,
    EventTypeProfile,
    LocationConfiguration,
)
from .groups import (
    Group,
    GroupRelationship,
    GroupRelationshipOwner,
)
from .invitees import (
    Invitee,
    NoShow,
    Payment,
    QuestionAndAnswer,
    Reconfirmation,
    Tracking,
)
from .locations import (
    MeetingLocation,
)
from .meeting_recaps import (
    MeetingRecap,
    MeetingRecapAttendee,
    MeetingRecapTranscript,
)
from .no_shows import (
    InviteeNoShow,
)
from .notes import (
    Note,
)
from .organizations import (
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
)
from .outgoing_communications import (
    OutgoingCommunication,
)
from .routing_forms import (
    RoutingForm,
    RoutingFormQuestion,
    RoutingFormSubmission,
    SubmissionAnswer,
    SubmissionResult,
)
from .scheduled_events import (
    CalendarEvent,
    Cancellation,
    EventGuest,
    EventMembership,
    InviteesCounter,
    Location,
    ScheduledEvent,
)
from .scheduling import (
    SchedulingLink,
    Share,
    ShareOverride,
)
from .teams import (
    Team,
)
from .users import (
    User,
)
from .webhooks import (
    WebhookSubscription,
)

__all__ = [
    "ActivityLogActor",
    "ActivityLogActorGroup",
    "ActivityLogActorOrganization",
    "ActivityLogEntry",
    "AvailabilityInterval",
    "AvailabilityRule",
    "AvailabilityRuleSet",
    "AvailabilitySchedule",
    "BusyTimeEvent",
    "CalendarEvent",
    "Cancellation",
    "Contact",
    "ContactCustomField",
    "ContactEmail",
    "ContactList",
    "ContactListMembershipResult",
    "ContactPhoneNumber",
    "CustomFieldDefinition",
    "CustomFieldOption",
    "CustomQuestion",
    "EventGuest",
    "EventMembership",
    "EventType",
    "EventTypeAvailabilityRules",
    "EventTypeAvailabilitySchedule",
    "EventTypeAvailableTime",
    "EventTypeMembership",
    "EventTypeProfile",
    "Group",
    "GroupRelationship",
    "GroupRelationshipOwner",
    "Invitee",
    "InviteeNoShow",
    "InviteesCounter",
    "Location",
    "LocationConfiguration",
    "MeetingLocation",
    "MeetingRecap",
    "MeetingRecapAttendee",
    "MeetingRecapTranscript",
    "Model",
    "NoShow",
    "Note",
    "OneOffDateSetting",
    "OneOffSpot",
    "Organization",
    "OrganizationInvitation",
    "OrganizationMembership",
    "OutgoingCommunication",
    "Payment",
    "QuestionAndAnswer",
    "Reconfirmation",
    "RoutingForm",
    "RoutingFormQuestion",
    "RoutingFormSubmission",
    "ScheduledEvent",
    "SchedulingLink",
    "Share",
    "ShareOverride",
    "SubmissionAnswer",
    "SubmissionResult",
    "Team",
    "Timestamp",
    "Tracking",
    "User",
    "UserBusyTime",
    "WebhookSubscription",
]
