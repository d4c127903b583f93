"""Small servers that do what Breakouts' socket does (rooms of people, each answer fanned out to
its room and to an organiser watching every room, the sender acknowledged), written as people
write them with the libraries they would pick instead."""
