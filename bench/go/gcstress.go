// GC stress for the bench (issue 13): 8 goroutines build and drop binary trees and maps,
// so the Go runtime's collector, its preemption signals and its futex-parked threads all
// work at once. Usage: gcstress ROUNDS
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

type node struct{ left, right *node }

func build(depth int) *node {
	if depth == 0 {
		return &node{}
	}
	return &node{build(depth - 1), build(depth - 1)}
}

func (n *node) count() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.count() + n.right.count()
}

func main() {
	rounds := 40
	if len(os.Args) > 1 {
		rounds, _ = strconv.Atoi(os.Args[1])
	}
	var wg sync.WaitGroup
	totals := make([]int, 8)
	for g := range totals {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				tree := build(14)
				m := make(map[int]string)
				for k := 0; k < 2000; k++ {
					m[k] = fmt.Sprint(k * g)
				}
				totals[g] += tree.count() + len(m)
			}
		}(g)
	}
	wg.Wait()
	sum := 0
	for _, t := range totals {
		sum += t
	}
	fmt.Println("total", sum)
}
