#!/bin/sh
echo "@GREETING@ from a verified base image"
