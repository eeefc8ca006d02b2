# escape=`
# syntax=docker/dockerfile:1.7

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
RUN dir c:\ `
    && echo done
COPY C:\src\ C:\dst\
RUN echo `$HOME
