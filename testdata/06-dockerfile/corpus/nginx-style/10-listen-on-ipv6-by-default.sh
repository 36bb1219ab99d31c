#!/bin/sh
echo ipv6
