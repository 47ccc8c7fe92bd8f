FROM alpine:3
USER 1
