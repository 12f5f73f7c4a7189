from meetings.models.meetings import Attendance, Meeting, MeetingFile, Requirement

__all__ = ["Attendance", "Meeting", "MeetingFile", "Requirement"]
