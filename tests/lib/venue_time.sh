# shellcheck shell=bash
# What the concert lists (box office and `boxoffice list`) show for a concert's date, worked out
# independently of the client with GNU date and the system's tzdata:
#
#   venue_time_short ISO ZONE     ZONE: the venue's IANA zone, or the operator's (the TZ the test gives the
#                                 client) for a concert without one. Prints "Sat 12 Dec 20:00 CET" when the
#                                 instant falls in the current year in that zone, "15 Jan 2027 20:00 CET"
#                                 otherwise ("15 Jan 27 20:00 +0545" for five-letter zones); a date without
#                                 a time: "Sat 12 Dec" or "15 Jan 2027".
venue_time_short() {
  local iso=$1 zone=$2 fmt
  if [[ $iso == *T* ]]; then
    if [ "$(TZ=$zone date -d "$iso" +%Y)" = "$(TZ=$zone date +%Y)" ]; then
      fmt='%a %d %b %H:%M %Z'
    elif [ "$(TZ=$zone date -d "$iso" +%Z | wc -c)" -gt 5 ]; then
      fmt='%d %b %y %H:%M %Z'
    else
      fmt='%d %b %Y %H:%M %Z'
    fi
    LC_ALL=C TZ=$zone date -d "$iso" +"$fmt"
  else
    if [ "${iso:0:4}" = "$(TZ=$zone date +%Y)" ]; then fmt='%a %d %b'; else fmt='%d %b %Y'; fi
    LC_ALL=C TZ=UTC date -d "$iso" +"$fmt"
  fi
}
