// SPDX-License-Identifier: MIT
//
// A Go workload for bench/run: G goroutine pairs echo 5 bytes N times over
// TCP loopback (the net poller, epoll_pwait, read and write through
// internal/runtime/syscall.Syscall6: almost every call a Go program makes
// goes through that one site). Usage: goecho N [G]
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"sync"
)

func main() {
	n, _ := strconv.Atoi(os.Args[1])
	g := 8
	if len(os.Args) > 2 {
		g, _ = strconv.Atoi(os.Args[2])
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				b := make([]byte, 64)
				for {
					k, err := c.Read(b)
					if err != nil {
						c.Close()
						return
					}
					c.Write(b[:k])
				}
			}(c)
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < g; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				panic(err)
			}
			b := make([]byte, 64)
			for k := 0; k < n; k++ {
				c.Write([]byte("hello"))
				c.Read(b)
			}
			c.Close()
		}()
	}
	wg.Wait()
	fmt.Println("echoed", n*g)
}
