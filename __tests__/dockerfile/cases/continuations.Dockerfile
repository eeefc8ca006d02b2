FROM alpine:3.19
RUN apk add \
# a comment inside the continuation
    curl \

      # an indented comment
    git
FROM \
    golang:1.22 \
    AS build
COPY --from=alpine:3.19 \
  /etc/os-release /x
RUN echo one \\
FROM not-a-continuation-target
